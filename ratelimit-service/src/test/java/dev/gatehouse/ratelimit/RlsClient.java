package dev.gatehouse.ratelimit;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.concurrent.TimeUnit;

/** A real gRPC client of the service over loopback (Vert.x gRPC client, h2c). */
public final class RlsClient implements AutoCloseable {
  static final ServiceMethod<RateLimitResponse, RateLimitRequest> METHOD =
      ServiceMethod.client(
          ServiceName.create(RateLimitServiceGrpc.SERVICE_NAME),
          RateLimitServiceGrpc.getShouldRateLimitMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(RateLimitResponse.newBuilder()));

  /** A call's outcome: the response, or the gRPC status and message it failed with. */
  public record Outcome(RateLimitResponse response, GrpcStatus status, String message) {}

  private final GrpcClient client;
  private final SocketAddress server;

  public RlsClient(Vertx vertx, int port) {
    this.client = GrpcClient.client(vertx);
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** Sends the request and returns the response; fails the test on a gRPC error. */
  public RateLimitResponse check(RateLimitRequest request) {
    Outcome outcome = call(request);
    if (outcome.status() != GrpcStatus.OK) {
      throw new AssertionError(
          "expected a response, got " + outcome.status() + ": " + outcome.message());
    }
    return outcome.response();
  }

  /** Sends the request; waits at most 5 seconds. */
  public Outcome call(RateLimitRequest request) {
    try {
      return send(request).await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer to " + request, e);
    }
  }

  public Future<Outcome> send(RateLimitRequest request) {
    return client
        .request(server, METHOD)
        .compose(call -> call.send(request))
        .compose(
            (GrpcClientResponse<RateLimitRequest, RateLimitResponse> response) ->
                response
                    .last()
                    .map(r -> new Outcome(r, GrpcStatus.OK, null))
                    .recover(
                        failure ->
                            Future.succeededFuture(
                                new Outcome(null, response.status(), response.statusMessage()))));
  }

  @Override
  public void close() {
    try {
      client.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing a client of a test that already failed
    }
  }
}
