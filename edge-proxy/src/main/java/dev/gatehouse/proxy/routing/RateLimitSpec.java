package dev.gatehouse.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code rate_limits} entry of a route: its actions, in order, each making one entry of the
 * descriptor sent to the rate-limit service; if any action cannot produce its entry (a missing
 * header), the whole descriptor is skipped, as in Envoy.
 */
public record RateLimitSpec(List<Entry> actions) {

  /**
   * The descriptor this entry sends for a request, or null when an action cannot produce its entry
   * (the proxy and the explain endpoint both call this).
   *
   * @param request the request as the rate-limit filter sees it (after ext_authz's header changes)
   */
  public List<Map.Entry<String, String>> descriptor(
      RouteRequest request, String clientAddress, String targetCluster, String sourceCluster) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(actions.size());
    for (Entry action : actions) {
      if (action instanceof RequestHeader header) {
        String value = request.headers().get(header.headerName());
        if (value == null) {
          return null;
        }
        entries.add(Map.entry(header.key(), value));
      } else if (action instanceof RemoteAddress) {
        entries.add(Map.entry("remote_address", clientAddress));
      } else if (action instanceof GenericKey generic) {
        entries.add(Map.entry(generic.key(), generic.value()));
      } else if (action instanceof HeaderValueMatch match) {
        boolean all = true;
        for (HeaderMatch header : match.headers()) {
          all &= header.matches(request);
        }
        if (all != match.expectMatch()) {
          return null;
        }
        entries.add(Map.entry(match.key(), match.value()));
      } else if (action instanceof DestinationCluster) {
        entries.add(Map.entry("destination_cluster", targetCluster));
      } else if (action instanceof SourceCluster) {
        entries.add(Map.entry("source_cluster", sourceCluster));
      }
    }
    return entries;
  }

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
