package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import java.util.List;

/**
 * A route's CORS policy (Envoy's {@code CorsPolicy} for the cors filter): which origins, and the
 * headers a preflight answer and an actual response carry.
 */
public record CorsSpec(
    List<StringMatch> origins,
    String allowMethods,
    String allowHeaders,
    String exposeHeaders,
    String maxAge,
    boolean allowCredentials) {

  public static CorsSpec compile(CorsPolicy policy, String where) {
    return new CorsSpec(
        policy.getAllowOriginStringMatchList().stream()
            .map(m -> StringMatch.compile(m, where + ".cors"))
            .toList(),
        policy.getAllowMethods(),
        policy.getAllowHeaders(),
        policy.getExposeHeaders(),
        policy.getMaxAge(),
        policy.hasAllowCredentials() && policy.getAllowCredentials().getValue());
  }

  public boolean allows(String origin) {
    return origins.stream().anyMatch(m -> m.test(origin));
  }
}
