package dev.gatehouse.proxy.filters;

import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.upstream.GrpcMethod;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/** Envoy's global rate limiting over gRPC v3 ({@code RateLimitService/ShouldRateLimit}). */
public final class GrpcRateLimitClient implements RateLimitClient {
  private static final GrpcMethod<RateLimitRequest, RateLimitResponse> SHOULD_RATE_LIMIT =
      GrpcMethod.of(
          "envoy.service.ratelimit.v3.RateLimitService",
          "ShouldRateLimit",
          RateLimitResponse.getDefaultInstance());

  private final ClusterRuntime cluster;
  private final RateLimitSettings settings;

  public GrpcRateLimitClient(Vertx vertx, ClusterRuntime cluster, RateLimitSettings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  @Override
  public Future<Decision> shouldRateLimit(
      String domain, List<List<Map.Entry<String, String>>> descriptors) {
    Endpoint endpoint;
    try {
      endpoint = cluster.pick(0, null);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    RateLimitRequest.Builder request =
        RateLimitRequest.newBuilder().setDomain(domain).setHitsAddend(1);
    for (List<Map.Entry<String, String>> descriptor : descriptors) {
      RateLimitDescriptor.Builder built = RateLimitDescriptor.newBuilder();
      descriptor.forEach(
          e ->
              built.addEntries(
                  RateLimitDescriptor.Entry.newBuilder()
                      .setKey(e.getKey())
                      .setValue(e.getValue())));
      request.addDescriptors(built);
    }
    return cluster
        .unary(endpoint, SHOULD_RATE_LIMIT, request.build(), settings.timeout())
        .map(
            response ->
                new Decision(
                    response.getOverallCode() == RateLimitResponse.Code.OVER_LIMIT,
                    response.getResponseHeadersToAddList().stream()
                        .map(h -> Map.entry(h.getKey(), h.getValue()))
                        .toList(),
                    response.getRequestHeadersToAddList().stream()
                        .map(h -> Map.entry(h.getKey(), h.getValue()))
                        .toList()));
  }
}
