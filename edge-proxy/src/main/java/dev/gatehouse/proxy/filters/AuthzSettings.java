package dev.gatehouse.proxy.filters;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The ext_authz filter of a listener: which cluster serves Envoy's Authorization API, how long to
 * wait, what to do when it fails, and what of the request to send.
 *
 * @param allowedHeaders which request headers (lower-case names) are sent; empty means all
 * @param maxRequestBytes bytes of body to send, 0 for none
 */
public record AuthzSettings(
    String cluster,
    Duration timeout,
    boolean failureModeAllow,
    int statusOnError,
    List<Predicate<String>> allowedHeaders,
    int maxRequestBytes,
    boolean allowPartialMessage) {

  /** Whether a header (lower-case name) is sent to the service. */
  public boolean sends(String header) {
    return allowedHeaders.isEmpty() || allowedHeaders.stream().anyMatch(p -> p.test(header));
  }
}
