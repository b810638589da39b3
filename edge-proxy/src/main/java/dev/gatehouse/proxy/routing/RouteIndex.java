package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one virtual host, indexed by the first path segment they require, so that a request
 * is tested only against the routes that can match it and not against all of them in turn (with
 * 10,000 Mappings, a linear scan costs more than the rest of the request). Envoy's rule is kept
 * exactly: the first route in configuration order that matches wins.
 *
 * <p>A case-sensitive {@code prefix}, {@code path} or {@code path_separated_prefix} of the form
 * {@code /segment/...} (or a {@code path} of exactly {@code /segment}) can only match requests
 * whose first segment is that segment; every other route (regex, case-insensitive, {@code /} or
 * {@code /seg} prefixes that a longer segment could extend) is a candidate for every request.
 * Lookup merges the two ordered candidate lists.
 */
final class RouteIndex {
  private static final int[] NONE = new int[0];

  private final List<CompiledRoute> routes;
  private final Map<String, int[]> bySegment;
  private final int[] anySegment;

  RouteIndex(List<CompiledRoute> routes) {
    this.routes = routes;
    Map<String, List<Integer>> keyed = new HashMap<>();
    List<Integer> always = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      String segment = requiredSegment(routes.get(i).route().getMatch());
      if (segment == null) {
        always.add(i);
      } else {
        keyed.computeIfAbsent(segment, s -> new ArrayList<>()).add(i);
      }
    }
    this.bySegment = new HashMap<>();
    keyed.forEach((segment, indexes) -> bySegment.put(segment, toArray(indexes)));
    this.anySegment = toArray(always);
  }

  /** The first route, in configuration order, that matches the request; null when none does. */
  CompiledRoute first(RouteRequest request) {
    int[] keyed =
        bySegment.isEmpty() ? NONE : bySegment.getOrDefault(segment(request.path()), NONE);
    int[] always = anySegment;
    int k = 0;
    int a = 0;
    while (k < keyed.length || a < always.length) {
      int next;
      if (a >= always.length || (k < keyed.length && keyed[k] < always[a])) {
        next = keyed[k++];
      } else {
        next = always[a++];
      }
      CompiledRoute route = routes.get(next);
      if (route.matches(request)) {
        return route;
      }
    }
    return null;
  }

  /**
   * The first segment a route's path match requires, or null when it can match requests with any
   * first segment.
   */
  static String requiredSegment(RouteMatch match) {
    if (match.hasCaseSensitive() && !match.getCaseSensitive().getValue()) {
      return null;
    }
    String literal;
    boolean whole; // the literal is the whole path, so its last segment cannot be extended
    switch (match.getPathSpecifierCase()) {
      case PREFIX -> {
        literal = match.getPrefix();
        whole = false;
      }
      case PATH, PATH_SEPARATED_PREFIX -> {
        // path_separated_prefix /seg matches /seg and /seg/...: never a longer segment.
        literal =
            match.getPathSpecifierCase() == RouteMatch.PathSpecifierCase.PATH
                ? match.getPath()
                : match.getPathSeparatedPrefix();
        whole = true;
      }
      default -> {
        return null;
      }
    }
    if (literal.length() < 2 || literal.charAt(0) != '/') {
      return null;
    }
    int slash = literal.indexOf('/', 1);
    if (slash < 0 && !whole) {
      return null; // prefix "/seg" also matches "/segment"
    }
    String segment = slash < 0 ? literal.substring(1) : literal.substring(1, slash);
    if (segment.isEmpty() || segment.indexOf('?') >= 0 || segment.indexOf('#') >= 0) {
      return null;
    }
    return segment;
  }

  /** A request path's first segment: from after the leading '/' to the next '/' or '?'. */
  static String segment(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return "";
    }
    int end = 1;
    while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
      end++;
    }
    return path.substring(1, end);
  }

  private static int[] toArray(List<Integer> indexes) {
    int[] out = new int[indexes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = indexes.get(i);
    }
    return out;
  }
}
