package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One route compiled for the hot path: its match, its action, its header operations and the
 * per-filter configuration in force for it.
 */
public final class CompiledRoute {
  private final Route route;
  private final Predicate<RouteRequest> path;
  private final List<HeaderMatch> headers;
  private final List<QueryMatch> queries;
  private final Action action;
  private final HeaderOps requestHeaders;
  private final HeaderOps responseHeaders;
  private final FilterOverrides overrides;

  CompiledRoute(Route route, FilterOverrides hostOverrides, String where) {
    this.route = route;
    this.action = ActionCompiler.compile(route, where);
    this.requestHeaders =
        HeaderOps.compile(
            route.getRequestHeadersToAddList(), route.getRequestHeadersToRemoveList(), where);
    this.responseHeaders =
        HeaderOps.compile(
            route.getResponseHeadersToAddList(), route.getResponseHeadersToRemoveList(), where);
    this.overrides =
        ActionCompiler.overrides(route.getTypedPerFilterConfigMap(), where).over(hostOverrides);
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

  public Action action() {
    return action;
  }

  /** The route's own request header operations (the host's and configuration's apply too). */
  public HeaderOps requestHeaders() {
    return requestHeaders;
  }

  public HeaderOps responseHeaders() {
    return responseHeaders;
  }

  /** The per-filter configuration in force for this route, its virtual host's included. */
  public FilterOverrides overrides() {
    return overrides;
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

  /**
   * Every condition of this route that the request fails, described for people (the explain
   * endpoint's near misses); empty when the route matches. Evaluates the same matchers as {@link
   * #matches}.
   */
  public List<String> failedConditions(RouteRequest request) {
    List<String> failed = new ArrayList<>();
    if (!path.test(request)) {
      failed.add(describePath(route.getMatch()) + " does not match path " + request.path());
    }
    for (HeaderMatch header : headers) {
      if (!header.matches(request)) {
        List<String> values = request.header(header.name());
        failed.add(
            header + (values.isEmpty() ? ": the header is absent" : ": the request has " + values));
      }
    }
    for (QueryMatch query : queries) {
      if (!query.matches(request)) {
        failed.add(query + " does not match query \"" + request.query() + "\"");
      }
    }
    return failed;
  }

  private static String describePath(io.envoyproxy.envoy.config.route.v3.RouteMatch match) {
    String caseInsensitive =
        match.hasCaseSensitive() && !match.getCaseSensitive().getValue()
            ? " (case-insensitive)"
            : "";
    return switch (match.getPathSpecifierCase()) {
      case PREFIX -> "prefix " + match.getPrefix() + caseInsensitive;
      case PATH -> "path " + match.getPath() + caseInsensitive;
      case SAFE_REGEX -> "path regex " + match.getSafeRegex().getRegex();
      case PATH_SEPARATED_PREFIX ->
          "path-separated prefix " + match.getPathSeparatedPrefix() + caseInsensitive;
      default -> "path " + match.getPathSpecifierCase();
    };
  }
}
