package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.List;
import java.util.function.Predicate;

/**
 * One route with its match compiled for the hot path; the action stays the Envoy {@link Route} the
 * control plane sent, read by the proxy stages that apply it.
 */
public final class CompiledRoute {
  private final Route route;
  private final Predicate<RouteRequest> path;
  private final List<HeaderMatch> headers;
  private final List<QueryMatch> queries;

  CompiledRoute(Route route, String where) {
    this.route = route;
    this.path = PathMatch.compile(route.getMatch(), where);
    this.headers =
        route.getMatch().getHeadersList().stream()
            .map((HeaderMatcher h) -> HeaderMatch.compile(h, where))
            .toList();
    this.queries =
        route.getMatch().getQueryParametersList().stream()
            .map((QueryParameterMatcher q) -> QueryMatch.compile(q, where))
            .toList();
  }

  public Route route() {
    return route;
  }

  public String name() {
    return route.getName();
  }

  /** Whether the request matches: path, every header and every query parameter. */
  public boolean matches(RouteRequest request) {
    if (!path.test(request)) {
      return false;
    }
    for (HeaderMatch header : headers) {
      if (!header.matches(request)) {
        return false;
      }
    }
    for (QueryMatch query : queries) {
      if (!query.matches(request)) {
        return false;
      }
    }
    return true;
  }
}
