package dev.gatehouse.authz.grpc;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.grpc.GrpcFailure;
import dev.gatehouse.grpc.UnaryGrpcServer;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Status;
import io.vertx.core.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code envoy.service.auth.v3.Authorization/Check}, served by {@link UnaryGrpcServer}: each
 * CheckRequest becomes an {@link AuthzRequest}, each {@link Verdict} a CheckResponse.
 */
public final class AuthorizationServer {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServer.class);

  private AuthorizationServer() {}

  /** The Check method, deciding with {@code authorizer}. */
  public static UnaryGrpcServer.Method<CheckRequest, CheckResponse> method(
      Function<AuthzRequest, Future<Verdict>> authorizer) {
    return UnaryGrpcServer.method(
        AuthorizationGrpc.getCheckMethod(),
        check -> authorizer.apply(CheckRequests.toRequest(check)).map(CheckResponses::toResponse),
        failure -> {
          // An error status, not an allow: Envoy applies its failure_mode_allow.
          LOG.error("Check failed", failure);
          return new GrpcFailure(Status.Code.INTERNAL, "authorization failed");
        });
  }
}
