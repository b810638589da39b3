package dev.gatehouse.ratelimit.grpc;

import dev.gatehouse.grpc.GrpcFailure;
import dev.gatehouse.grpc.UnaryGrpcServer;
import dev.gatehouse.ratelimit.limiter.InvalidRequestException;
import dev.gatehouse.ratelimit.limiter.RateLimiter;
import dev.gatehouse.ratelimit.limiter.StoreUnavailableException;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.Status;

/**
 * {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit}, served by {@link
 * UnaryGrpcServer}. The one place where the limiter's failures become gRPC statuses: a malformed
 * request is INVALID_ARGUMENT, a store failure (failure mode ERROR) UNAVAILABLE, anything else
 * INTERNAL (logged by the server). Bytes that are not a RateLimitRequest get INVALID_ARGUMENT from
 * the server itself.
 */
public final class RateLimitGrpcService {
  private RateLimitGrpcService() {}

  /** The method, answered by {@code limiter}. */
  public static UnaryGrpcServer.Method<RateLimitRequest, RateLimitResponse> method(
      RateLimiter limiter) {
    return UnaryGrpcServer.method(
        RateLimitServiceGrpc.getShouldRateLimitMethod(),
        limiter::shouldRateLimit,
        RateLimitGrpcService::status);
  }

  private static GrpcFailure status(Throwable failure) {
    if (failure instanceof InvalidRequestException) {
      return new GrpcFailure(Status.Code.INVALID_ARGUMENT, failure.getMessage());
    }
    if (failure instanceof StoreUnavailableException) {
      return new GrpcFailure(Status.Code.UNAVAILABLE, failure.getMessage());
    }
    return null;
  }
}
