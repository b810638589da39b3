package dev.gatehouse.authz.external;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An External Filter with {@code proto: grpc}: the request goes to another ext_authz v3 service as
 * a CheckRequest (with the request's headers and, within {@code include_body}, its body); its OK
 * answer's header changes and its denial are taken as they are.
 */
public final class ExternalGrpcFilter implements Filter {
  private static final ServiceMethod<CheckResponse, CheckRequest> CHECK =
      ServiceMethod.client(
          ServiceName.create(AuthorizationGrpc.SERVICE_NAME),
          AuthorizationGrpc.getCheckMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(CheckResponse.newBuilder()));

  private final Delegation delegation;
  private final GrpcClient client;
  private final SocketAddress server;

  ExternalGrpcFilter(Vertx vertx, Delegation delegation) {
    if (delegation.service().tls()) {
      throw new IllegalArgumentException(
          "auth_service: TLS to a gRPC auth service is not supported yet (expected: plaintext)");
    }
    this.delegation = delegation;
    this.client = GrpcClient.client(vertx);
    this.server =
        SocketAddress.inetSocketAddress(delegation.service().port(), delegation.service().host());
  }

  @Override
  public Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    CheckRequest check =
        CheckRequest.newBuilder()
            .setAttributes(
                AttributeContext.newBuilder()
                    .putAllContextExtensions(request.contextExtensions())
                    .setRequest(
                        AttributeContext.Request.newBuilder()
                            .setHttp(
                                AttributeContext.HttpRequest.newBuilder()
                                    .setMethod(request.method())
                                    .setScheme(request.scheme())
                                    .setHost(request.host())
                                    .setPath(request.path())
                                    .putAllHeaders(request.headers())
                                    .setBody(delegation.body(request)))))
            .build();
    return client
        .request(server, CHECK)
        .compose(
            call -> {
              call.timeout(delegation.timeoutMillis(), TimeUnit.MILLISECONDS);
              return call.send(check).compose(GrpcClientResponse::last);
            })
        .map(this::verdict)
        .otherwise(failure -> delegation.failure());
  }

  private Verdict verdict(CheckResponse response) {
    if (response.getStatus().getCode() == 0) {
      Map<String, String> set = new LinkedHashMap<>();
      for (HeaderValueOption header : response.getOkResponse().getHeadersList()) {
        set.put(
            header.getHeader().getKey().toLowerCase(Locale.ROOT), header.getHeader().getValue());
      }
      List<Map.Entry<String, String>> responseHeaders = new ArrayList<>();
      for (HeaderValueOption header : response.getOkResponse().getResponseHeadersToAddList()) {
        responseHeaders.add(Map.entry(header.getHeader().getKey(), header.getHeader().getValue()));
      }
      return Verdict.allow(
          new HeaderMutations(
              set,
              new LinkedHashSet<>(response.getOkResponse().getHeadersToRemoveList()),
              responseHeaders));
    }
    if (!response.hasDeniedResponse()) {
      return Verdict.Deny.of(403, "denied\n");
    }
    int status = response.getDeniedResponse().getStatus().getCodeValue();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HeaderValueOption header : response.getDeniedResponse().getHeadersList()) {
      headers.add(Map.entry(header.getHeader().getKey(), header.getHeader().getValue()));
    }
    return new Verdict.Deny(
        status < 200 || status > 599 ? 403 : status,
        headers,
        response.getDeniedResponse().getBody());
  }
}
