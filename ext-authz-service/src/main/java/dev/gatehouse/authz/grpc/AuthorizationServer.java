package dev.gatehouse.authz.grpc;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code envoy.service.auth.v3.Authorization/Check} on a Vert.x gRPC server: each
 * CheckRequest becomes an {@link AuthzRequest}, each {@link Verdict} a CheckResponse.
 */
public final class AuthorizationServer {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServer.class);

  /** The Check method, as the server sees it. */
  public static final ServiceMethod<CheckRequest, CheckResponse> CHECK =
      ServiceMethod.server(
          ServiceName.create(AuthorizationGrpc.SERVICE_NAME),
          AuthorizationGrpc.getCheckMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(CheckRequest.newBuilder()));

  private AuthorizationServer() {}

  /** Adds the Check handler to {@code server}, deciding with {@code authorizer}. */
  public static GrpcServer register(
      GrpcServer server, Function<AuthzRequest, Future<Verdict>> authorizer) {
    server.callHandler(
        CHECK,
        call ->
            call.handler(
                check -> {
                  Future<Verdict> verdict;
                  try {
                    verdict = authorizer.apply(CheckRequests.toRequest(check));
                  } catch (RuntimeException e) {
                    verdict = Future.failedFuture(e);
                  }
                  verdict.onComplete(
                      done -> {
                        if (done.succeeded()) {
                          call.response().end(CheckResponses.toResponse(done.result()));
                        } else {
                          // An error status, not an allow: Envoy applies its failure_mode_allow.
                          LOG.error("Check failed", done.cause());
                          call.response()
                              .status(GrpcStatus.INTERNAL)
                              .statusMessage("authorization failed")
                              .end();
                        }
                      });
                }));
    return server;
  }
}
