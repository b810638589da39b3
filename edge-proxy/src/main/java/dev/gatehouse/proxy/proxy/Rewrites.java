package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.Action;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.vertx.core.MultiMap;

/** The path and authority a forwarded request is sent with, after the route's rewrites. */
final class Rewrites {
  private Rewrites() {}

  /**
   * Envoy's prefix_rewrite replaces the matched prefix (path and path_separated_prefix matches
   * too); regex_rewrite substitutes on the path without its query, which is kept.
   */
  static String path(String path, RouteMatch match, Action.PathRewrite rewrite) {
    if (rewrite.regex() != null) {
      int query = path.indexOf('?');
      String bare = query < 0 ? path : path.substring(0, query);
      return rewrite.regex().apply(bare) + (query < 0 ? "" : path.substring(query));
    }
    if (rewrite.prefix() == null) {
      return path;
    }
    String matched =
        switch (match.getPathSpecifierCase()) {
          case PREFIX -> match.getPrefix();
          case PATH -> match.getPath();
          case PATH_SEPARATED_PREFIX -> match.getPathSeparatedPrefix();
          default -> null;
        };
    String rewritten = Paths.rewritePrefix(path, matched, rewrite.prefix());
    return rewritten.isEmpty() || rewritten.charAt(0) != '/' ? "/" + rewritten : rewritten;
  }

  /** The Host to send: rewritten to a literal, to the upstream's own host, or as received. */
  static String authority(
      String authority, Action.HostRewrite rewrite, ClusterRuntime cluster, MultiMap headers) {
    if (rewrite.literal() != null) {
      headers.set("x-forwarded-host", authority);
      return rewrite.literal();
    }
    if (rewrite.auto() && !cluster.settings().endpoints().isEmpty()) {
      headers.set("x-forwarded-host", authority);
      return cluster.settings().endpoints().get(0).host();
    }
    return authority;
  }
}
