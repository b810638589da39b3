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
    int precedence,
    int headerWeight,
    int queryWeight,
    String routeName) {

  /**
   * The key of a Mapping, with its sort weights and its name computed once: the sort compares keys
   * O(n log n) times. The name is {@code route_<16 hex>} of the match alone, so the same match
   * always gets the same name.
   */
  static RouteKey of(Mapping m) {
    String prefix = m.prefix();
    boolean prefixRegex = m.prefixRegex();
    boolean prefixExact = m.prefixExact();
    boolean caseSensitive = m.caseSensitive();
    String hostname = m.effectiveHostname();
    String hostRegex = m.hostRegex() ? m.host() : null;
    String method = m.method();
    boolean methodRegex = m.methodRegex();
    SortedMap<String, String> headers = sorted(m.headers());
    SortedMap<String, String> regexHeaders = sorted(m.regexHeaders());
    SortedMap<String, String> queryParameters = sorted(m.queryParameters());
    SortedMap<String, String> regexQueryParameters = sorted(m.regexQueryParameters());
    int precedence = m.precedence();
    int headerWeight = length(headers, false) + length(regexHeaders, true);
    if (hostRegex != null) {
      headerWeight += ":authority".length() + hostRegex.length() + 1;
    }
    if (method != null) {
      headerWeight += ":method".length() + method.length() + (methodRegex ? 1 : 0);
    }
    int queryWeight = length(queryParameters, false) + length(regexQueryParameters, true);
    String canonical =
        String.join(
            "\u0000",
            prefix,
            String.valueOf(prefixRegex),
            String.valueOf(prefixExact),
            String.valueOf(caseSensitive),
            hostname,
            String.valueOf(hostRegex),
            String.valueOf(method),
            String.valueOf(methodRegex),
            headers.toString(),
            regexHeaders.toString(),
            queryParameters.toString(),
            regexQueryParameters.toString(),
            String.valueOf(precedence));
    return new RouteKey(
        prefix,
        prefixRegex,
        prefixExact,
        caseSensitive,
        hostname,
        hostRegex,
        method,
        methodRegex,
        headers,
        regexHeaders,
        queryParameters,
        regexQueryParameters,
        precedence,
        headerWeight,
        queryWeight,
        "route_" + Names.hash(canonical, 16));
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
