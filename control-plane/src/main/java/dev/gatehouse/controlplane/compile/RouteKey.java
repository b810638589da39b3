package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.mapping.Mapping;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a Mapping matches, in canonical form. Mappings with equal keys form one route (weighted
 * clusters for canaries, mirrors for shadows); the route's name is a hash of the key, so it does
 * not depend on where the Mapping sits in any list.
 */
record RouteKey(
    String prefix,
    boolean prefixRegex,
    boolean prefixExact,
    boolean caseSensitive,
    String hostname,
    String hostRegex,
    String method,
    boolean methodRegex,
    SortedMap<String, String> headers,
    SortedMap<String, String> regexHeaders,
    SortedMap<String, String> queryParameters,
    SortedMap<String, String> regexQueryParameters,
    int precedence) {

  static RouteKey of(Mapping m) {
    return new RouteKey(
        m.prefix(),
        m.prefixRegex(),
        m.prefixExact(),
        m.caseSensitive(),
        m.effectiveHostname(),
        m.hostRegex() ? m.host() : null,
        m.method(),
        m.methodRegex(),
        sorted(m.headers()),
        sorted(m.regexHeaders()),
        sorted(m.queryParameters()),
        sorted(m.regexQueryParameters()),
        m.precedence());
  }

  /** {@code route_<16 hex>}: the same match always gets the same name. */
  String routeName() {
    return "route_" + Names.hash(toString(), 16);
  }

  /**
   * Emissary's evaluation order: higher precedence first, then longer prefix, then more (and
   * longer) header and method constraints, then more query constraints, then the prefix itself and
   * the method (descending, as Emissary sorts), then the name so that ties are stable.
   */
  static final Comparator<RouteKey> EVALUATION_ORDER =
      Comparator.comparingInt(RouteKey::precedence)
          .thenComparingInt(k -> k.prefix().length())
          .thenComparingInt(RouteKey::headerWeight)
          .thenComparingInt(RouteKey::queryWeight)
          .thenComparing(RouteKey::prefix)
          .thenComparing(k -> k.method() == null ? "GET" : k.method())
          .reversed()
          .thenComparing(RouteKey::routeName);

  /** The length of the header constraints, counting the method as a ":method" header. */
  int headerWeight() {
    int weight = length(headers, false) + length(regexHeaders, true);
    if (hostRegex != null) {
      weight += ":authority".length() + hostRegex.length() + 1;
    }
    if (method != null) {
      weight += ":method".length() + method.length() + (methodRegex ? 1 : 0);
    }
    return weight;
  }

  int queryWeight() {
    return length(queryParameters, false) + length(regexQueryParameters, true);
  }

  private static int length(Map<String, String> constraints, boolean regex) {
    int sum = 0;
    for (Map.Entry<String, String> entry : constraints.entrySet()) {
      sum += entry.getKey().length() + entry.getValue().length() + (regex ? 1 : 0);
    }
    return sum;
  }

  private static SortedMap<String, String> sorted(Map<String, String> map) {
    return Collections.unmodifiableSortedMap(map == null ? new TreeMap<>() : new TreeMap<>(map));
  }
}
