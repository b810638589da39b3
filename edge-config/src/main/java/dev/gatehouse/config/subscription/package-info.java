/**
 * How ext-authz and ratelimit-service receive their configuration from the control plane: a
 * Hazelcast client of its cluster ({@link ControlPlaneClient}) that connects and reconnects on its
 * own, and a {@link ServiceConfigSubscription} that applies each published {@link
 * dev.gatehouse.config.distribution.ServiceConfig} with last-good semantics and keeps the last one
 * while the cluster is away. The only package of edge-config that uses Hazelcast (an optional
 * dependency: a module that subscribes declares Hazelcast itself).
 */
package dev.gatehouse.config.subscription;
