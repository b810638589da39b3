package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one virtual host in a tree of the path directories they require, so that a request
 * is tested only against the routes that can match it and not against all of them in turn (with
 * 10,000 Mappings, a linear scan costs more than the rest of the request). Envoy's rule is kept
 * exactly: the first route in configuration order that matches wins.
 *
 * <p>A case-sensitive {@code prefix}, {@code path} or {@code path_separated_prefix} can only match
 * paths that start with its literal up to the last '/', say {@code /api/v1/}: the route is filed
 * under the tree node {@code api} → {@code v1}. Every other route (regex, case-insensitive, a
 * literal that does not start with '/' or has a '?' before its last '/') is a candidate for every
 * request. A request walks the tree along its own directories and merges, in configuration order,
 * the routes of the nodes it passes with the routes for every request.
 */
final class RouteIndex {
  private static final int[] NONE = new int[0];

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    final List<Integer> building = new ArrayList<>();
    int[] routes = NONE;

    void freeze() {
      routes = toArray(building);
      building.clear();
      children.values().forEach(Node::freeze);
    }
  }

  private final List<CompiledRoute> routes;
  private final Node root = new Node();
  private final int[] anyPath;

  RouteIndex(List<CompiledRoute> routes) {
    this.routes = routes;
    List<Integer> always = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      List<String> directory = requiredDirectory(routes.get(i).route().getMatch());
      if (directory == null) {
        always.add(i);
        continue;
      }
      Node node = root;
      for (String segment : directory) {
        node = node.children.computeIfAbsent(segment, s -> new Node());
      }
      node.building.add(i);
    }
    root.freeze();
    this.anyPath = toArray(always);
  }

  /** The first route, in configuration order, that matches the request; null when none does. */
  CompiledRoute first(RouteRequest request) {
    List<int[]> candidates = new ArrayList<>(4);
    candidates.add(anyPath);
    String path = request.path();
    Node node = root;
    if (path.startsWith("/")) {
      candidates.add(root.routes);
      int start = 1;
      while (!node.children.isEmpty()) {
        int end = start;
        while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
          end++;
        }
        if (end >= path.length() || path.charAt(end) != '/') {
          break; // the last segment, or the query: not a directory
        }
        node = node.children.get(path.substring(start, end));
        if (node == null) {
          break;
        }
        candidates.add(node.routes);
        start = end + 1;
      }
    }
    int[] at = new int[candidates.size()];
    while (true) {
      int best = -1;
      int bestRoute = Integer.MAX_VALUE;
      for (int list = 0; list < at.length; list++) {
        int[] indexes = candidates.get(list);
        if (at[list] < indexes.length && indexes[at[list]] < bestRoute) {
          best = list;
          bestRoute = indexes[at[list]];
        }
      }
      if (best < 0) {
        return null;
      }
      at[best]++;
      CompiledRoute route = routes.get(bestRoute);
      if (route.matches(request)) {
        return route;
      }
    }
  }

  /**
   * The directories a route's path match requires, outermost first ({@code /api/v1/x} gives [api,
   * v1]; {@code /x} gives []), or null when it can match paths that do not start with them.
   */
  static List<String> requiredDirectory(RouteMatch match) {
    if (match.hasCaseSensitive() && !match.getCaseSensitive().getValue()) {
      return null;
    }
    String literal =
        switch (match.getPathSpecifierCase()) {
          case PREFIX -> match.getPrefix();
          case PATH -> match.getPath();
          // path_separated_prefix /a/b matches /a/b and /a/b/...: both start with /a/.
          case PATH_SEPARATED_PREFIX -> match.getPathSeparatedPrefix();
          default -> null;
        };
    if (literal == null || !literal.startsWith("/")) {
      return null;
    }
    int last = literal.lastIndexOf('/');
    String directory = literal.substring(0, last + 1);
    if (directory.indexOf('?') >= 0 || directory.indexOf('#') >= 0) {
      return null; // the query could start inside it
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (start < directory.length()) {
      int slash = directory.indexOf('/', start);
      segments.add(directory.substring(start, slash));
      start = slash + 1;
    }
    return segments;
  }

  private static int[] toArray(List<Integer> indexes) {
    int[] out = new int[indexes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = indexes.get(i);
    }
    return out;
  }
}
