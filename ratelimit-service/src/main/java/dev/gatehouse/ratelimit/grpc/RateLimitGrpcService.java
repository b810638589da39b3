package dev.gatehouse.ratelimit.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.gatehouse.ratelimit.limiter.InvalidRequestException;
import dev.gatehouse.ratelimit.limiter.RateLimiter;
import dev.gatehouse.ratelimit.limiter.StoreUnavailableException;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit} on a Vert.x gRPC server. The
 * one place where failures become gRPC statuses: a malformed request is INVALID_ARGUMENT, a store
 * failure (failure mode ERROR) UNAVAILABLE, anything else INTERNAL.
 */
public final class RateLimitGrpcService {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitGrpcService.class);

  /** The method as the server serves it. */
  public static final ServiceMethod<RateLimitRequest, RateLimitResponse> SHOULD_RATE_LIMIT =
      ServiceMethod.server(
          ServiceName.create(RateLimitServiceGrpc.SERVICE_NAME),
          RateLimitServiceGrpc.getShouldRateLimitMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          new LenientDecoder());

  /**
   * Decodes a RateLimitRequest, or gives null for bytes that are not one, so the call can answer
   * INVALID_ARGUMENT (the stock decoder's failure resets the stream, which Envoy reads as an error
   * of the service rather than of its request).
   */
  private static final class LenientDecoder implements GrpcMessageDecoder<RateLimitRequest> {
    @Override
    public RateLimitRequest decode(GrpcMessage message) {
      try {
        return RateLimitRequest.parseFrom(message.payload().getBytes());
      } catch (InvalidProtocolBufferException e) {
        return null;
      }
    }

    @Override
    public boolean accepts(WireFormat format) {
      return format == WireFormat.PROTOBUF;
    }
  }

  private static final String UNREADABLE = "request: unreadable (expected: a RateLimitRequest)";

  private final RateLimiter limiter;

  public RateLimitGrpcService(RateLimiter limiter) {
    this.limiter = limiter;
  }

  /** Registers the method on {@code server}. */
  public GrpcServer bindTo(GrpcServer server) {
    return server.callHandler(SHOULD_RATE_LIMIT, this::handle);
  }

  private void handle(GrpcServerRequest<RateLimitRequest, RateLimitResponse> call) {
    // Answer once the request stream has ended: answering a stream the client is still sending
    // on makes clients such as grpc-java reset it, and a server counts those resets as a flood.
    call.last()
        .onComplete(
            done -> {
              if (done.failed() || done.result() == null) {
                // No message, or one that does not decode as a RateLimitRequest.
                end(call, GrpcStatus.INVALID_ARGUMENT, UNREADABLE);
                return;
              }
              limiter
                  .shouldRateLimit(done.result())
                  .onSuccess(response -> call.response().end(response))
                  .onFailure(failure -> fail(call, failure));
            });
  }

  private static void fail(
      GrpcServerRequest<RateLimitRequest, RateLimitResponse> call, Throwable failure) {
    GrpcStatus status;
    if (failure instanceof InvalidRequestException) {
      status = GrpcStatus.INVALID_ARGUMENT;
    } else if (failure instanceof StoreUnavailableException) {
      status = GrpcStatus.UNAVAILABLE;
    } else {
      status = GrpcStatus.INTERNAL;
      LOG.error("ShouldRateLimit failed", failure);
    }
    end(call, status, failure.getMessage());
  }

  private static void end(
      GrpcServerRequest<RateLimitRequest, RateLimitResponse> call,
      GrpcStatus status,
      String message) {
    try {
      call.response().status(status).statusMessage(message).end();
    } catch (IllegalStateException alreadyEnded) {
      // The call was answered or reset already; nothing is left to tell the client.
    }
  }
}
