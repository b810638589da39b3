package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.filters.AuthzClient;
import dev.gatehouse.proxy.filters.AuthzSettings;
import dev.gatehouse.proxy.filters.RateLimitClient;
import dev.gatehouse.proxy.filters.RateLimitSettings;
import dev.gatehouse.proxy.routing.Action;
import dev.gatehouse.proxy.routing.RateLimitSpec;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The decoding HTTP filters before the router, in Envoy's order: ext_authz (unless the route
 * disables it), then rate limiting from the route's actions. A denial ends the request with the
 * service's own answer; a failing service follows the filter's failure mode.
 */
public final class EdgeFilters {
  private final Supplier<ProxySnapshot> snapshot;
  private final BiFunction<ClusterRuntime, AuthzSettings, AuthzClient> authz;
  private final BiFunction<ClusterRuntime, RateLimitSettings, RateLimitClient> rateLimit;
  private final String sourceCluster;
  private final dev.gatehouse.proxy.observe.ProxyMetrics metrics;

  /**
   * @param sourceCluster the proxy's own cluster name, for source_cluster rate-limit actions
   */
  public EdgeFilters(
      Supplier<ProxySnapshot> snapshot,
      BiFunction<ClusterRuntime, AuthzSettings, AuthzClient> authz,
      BiFunction<ClusterRuntime, RateLimitSettings, RateLimitClient> rateLimit,
      String sourceCluster,
      dev.gatehouse.proxy.observe.ProxyMetrics metrics) {
    this.snapshot = snapshot;
    this.authz = authz;
    this.rateLimit = rateLimit;
    this.sourceCluster = sourceCluster;
    this.metrics = metrics;
  }

  Future<Void> run(
      Exchange exchange,
      RouteTable.Match match,
      Action.Forward forward,
      String targetCluster,
      Buffer body,
      ListenerSettings listener) {
    Future<Void> authorized =
        listener.authz() == null || match.route().overrides().authzDisabled()
            ? Future.succeededFuture()
            : authorize(
                exchange, listener.authz(), match.route().overrides().contextExtensions(), body);
    if (listener.rateLimit() == null || forward.rateLimits().isEmpty()) {
      return authorized;
    }
    return authorized.compose(ok -> limit(exchange, listener.rateLimit(), forward, targetCluster));
  }

  private Future<Void> authorize(
      Exchange exchange, AuthzSettings settings, Map<String, String> extensions, Buffer body) {
    ClusterRuntime cluster = snapshot.get().clusters().get(settings.cluster());
    if (cluster == null) {
      return authzFailed(exchange, settings);
    }
    MultiMap sent = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : exchange.headers) {
      if (settings.allowedHeaders().isEmpty()
          || settings
              .allowedHeaders()
              .contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
        sent.add(header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue());
      }
    }
    Buffer checked = null;
    if (settings.maxRequestBytes() > 0 && body != null) {
      if (body.length() > settings.maxRequestBytes() && !settings.allowPartialMessage()) {
        return Future.failedFuture(new ProxyFailure(413, "Payload Too Large"));
      }
      checked =
          body.length() > settings.maxRequestBytes()
              ? body.slice(0, settings.maxRequestBytes())
              : body;
    }
    AuthzClient.Check check =
        new AuthzClient.Check(
            exchange.request.method().name(),
            exchange.scheme,
            exchange.authority,
            exchange.path,
            sent,
            checked,
            extensions,
            exchange.clientAddress,
            exchange.clientPort);
    return authz
        .apply(cluster, settings)
        .check(check)
        .transform(
            result -> {
              if (result.failed()) {
                metrics.authz(listenerName(exchange), "error");
                return authzFailed(exchange, settings);
              }
              if (result.result() instanceof AuthzClient.Deny deny) {
                metrics.authz(listenerName(exchange), "denied");
                MultiMap headers = MultiMap.caseInsensitiveMultiMap();
                deny.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
                return Future.failedFuture(
                    new ProxyFailure(deny.status(), deny.body(), headers, "UAEX"));
              }
              metrics.authz(listenerName(exchange), "ok");
              AuthzClient.Allow allow = (AuthzClient.Allow) result.result();
              allow.removeHeaders().forEach(exchange.headers::remove);
              allow.setHeaders().forEach(h -> exchange.headers.set(h.getKey(), h.getValue()));
              allow.appendHeaders().forEach(h -> exchange.headers.add(h.getKey(), h.getValue()));
              exchange.extraResponseHeaders.addAll(allow.responseHeaders());
              return Future.succeededFuture();
            });
  }

  private static String listenerName(Exchange exchange) {
    return exchange.listenerName;
  }

  private static Future<Void> authzFailed(Exchange exchange, AuthzSettings settings) {
    if (settings.failureModeAllow()) {
      exchange.headers.set("x-envoy-auth-failure-mode-allowed", "true");
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ProxyFailure(settings.statusOnError(), ""));
  }

  private Future<Void> limit(
      Exchange exchange, RateLimitSettings settings, Action.Forward forward, String targetCluster) {
    List<List<Map.Entry<String, String>>> descriptors = new ArrayList<>();
    for (RateLimitSpec spec : forward.rateLimits()) {
      List<Map.Entry<String, String>> descriptor = descriptor(spec, exchange, targetCluster);
      if (descriptor != null && !descriptor.isEmpty()) {
        descriptors.add(descriptor);
      }
    }
    ClusterRuntime cluster = snapshot.get().clusters().get(settings.cluster());
    if (descriptors.isEmpty()) {
      return Future.succeededFuture();
    }
    if (cluster == null) {
      return rateLimitFailed(settings);
    }
    return rateLimit
        .apply(cluster, settings)
        .shouldRateLimit(settings.domain(), descriptors)
        .transform(
            result -> {
              if (result.failed()) {
                metrics.rateLimit(targetCluster, "error");
                return rateLimitFailed(settings);
              }
              RateLimitClient.Decision decision = result.result();
              metrics.rateLimit(targetCluster, decision.overLimit() ? "over_limit" : "ok");
              if (decision.overLimit()) {
                MultiMap headers =
                    MultiMap.caseInsensitiveMultiMap().add("x-envoy-ratelimited", "true");
                decision.responseHeaders().forEach(h -> headers.add(h.getKey(), h.getValue()));
                return Future.failedFuture(new ProxyFailure(429, "", headers, "RL"));
              }
              exchange.extraResponseHeaders.addAll(decision.responseHeaders());
              decision
                  .requestHeaders()
                  .forEach(h -> exchange.headers.add(h.getKey(), h.getValue()));
              return Future.succeededFuture();
            });
  }

  private static Future<Void> rateLimitFailed(RateLimitSettings settings) {
    return settings.failureModeDeny()
        ? Future.failedFuture(new ProxyFailure(500, ""))
        : Future.succeededFuture();
  }

  /** The descriptor of one rate_limits entry, or null when an action cannot produce its entry. */
  private List<Map.Entry<String, String>> descriptor(
      RateLimitSpec spec, Exchange exchange, String targetCluster) {
    return spec.descriptor(
        exchange.routeRequest(), exchange.clientAddress, targetCluster, sourceCluster);
  }
}
