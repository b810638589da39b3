/**
 * The small, safe subset of Go's {@code text/template} that Edge Stack resources use for header
 * values and error bodies: shared by ext-authz (JWT and OAuth2 Filters) and ratelimit-service
 * (RateLimit limits), and checked by the RateLimit record so that a bad template is a configuration
 * error with its file and line. A template only reads the data it is given.
 */
package dev.gatehouse.config.template;
