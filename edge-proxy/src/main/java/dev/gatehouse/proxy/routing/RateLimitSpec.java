package dev.gatehouse.proxy.routing;

import java.util.List;

/**
 * One {@code rate_limits} entry of a route: its actions, in order, each making one entry of the
 * descriptor sent to the rate-limit service; if any action cannot produce its entry (a missing
 * header), the whole descriptor is skipped, as in Envoy.
 */
public record RateLimitSpec(List<Entry> actions) {

  /** One action. */
  public sealed interface Entry {}

  /** The value of a request header under {@code key}; skipped when absent. */
  public record RequestHeader(String headerName, String key) implements Entry {}

  /** The client address under {@code remote_address}. */
  public record RemoteAddress() implements Entry {}

  /** A constant. */
  public record GenericKey(String key, String value) implements Entry {}

  /** {@code header_match: value} when the request's headers match (or do not, if inverted). */
  public record HeaderValueMatch(
      String key, String value, boolean expectMatch, List<HeaderMatch> headers) implements Entry {}

  /** The route's target cluster under {@code destination_cluster}. */
  public record DestinationCluster() implements Entry {}

  /** The proxy's own cluster name under {@code source_cluster}. */
  public record SourceCluster() implements Entry {}
}
