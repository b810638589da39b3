package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.CorsSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * Envoy's CORS filter: a preflight from an allowed origin is answered at the edge; an actual
 * request from an allowed origin gets the Access-Control headers on its response. A request from an
 * origin the policy does not allow passes through untouched, and the browser refuses it.
 */
final class Cors {
  private Cors() {}

  /** True when the request was a preflight and has been answered. */
  static boolean handle(Exchange exchange, CorsSpec policy, MultiMap responseHeaders) {
    String origin = exchange.headers.get("origin");
    if (policy == null || origin == null || !policy.allows(origin)) {
      return false;
    }
    boolean preflight =
        exchange.request.method() == HttpMethod.OPTIONS
            && exchange.headers.contains("access-control-request-method");
    responseHeaders.set("access-control-allow-origin", origin);
    if (policy.allowCredentials()) {
      responseHeaders.set("access-control-allow-credentials", "true");
    }
    if (!preflight) {
      if (!policy.exposeHeaders().isEmpty()) {
        responseHeaders.set("access-control-expose-headers", policy.exposeHeaders());
      }
      return false;
    }
    if (!policy.allowMethods().isEmpty()) {
      responseHeaders.set("access-control-allow-methods", policy.allowMethods());
    }
    if (!policy.allowHeaders().isEmpty()) {
      responseHeaders.set("access-control-allow-headers", policy.allowHeaders());
    }
    if (!policy.maxAge().isEmpty()) {
      responseHeaders.set("access-control-max-age", policy.maxAge());
    }
    exchange.request.resume();
    exchange.request.response().setStatusCode(200).headers().addAll(responseHeaders);
    exchange.request.response().end();
    return true;
  }
}
