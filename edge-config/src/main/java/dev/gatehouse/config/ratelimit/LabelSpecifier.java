package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.yaml.BindWith;

/**
 * One entry of a rate-limit label group: what becomes one entry of the descriptor that Envoy sends
 * to the rate-limit service. The Envoy action each one compiles to is in its name.
 */
@BindWith(LabelSpecifierBinder.class)
public sealed interface LabelSpecifier {
  /** The descriptor entry's key. */
  String key();

  /** The value of a request header; the whole group is dropped when it is missing. */
  record RequestHeader(String key, String headerName, boolean omitIfNotPresent)
      implements LabelSpecifier {}

  /** The client's address, from X-Forwarded-For as trusted by xff_num_trusted_hops. */
  record RemoteAddress(String key) implements LabelSpecifier {}

  /** A constant. */
  record GenericKey(String key, String value) implements LabelSpecifier {}

  /** The name of the cluster the request came from (the proxy's own). */
  record SourceCluster(String key) implements LabelSpecifier {}

  /** The name of the cluster the route sends to. */
  record DestinationCluster(String key) implements LabelSpecifier {}
}
