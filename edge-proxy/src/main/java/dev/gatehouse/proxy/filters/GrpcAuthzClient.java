package dev.gatehouse.proxy.filters;

import com.google.protobuf.ByteString;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.upstream.GrpcMethod;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Envoy's ext_authz over gRPC v3 ({@code envoy.service.auth.v3.Authorization/Check}). */
public final class GrpcAuthzClient implements AuthzClient {
  private static final GrpcMethod<CheckRequest, CheckResponse> CHECK =
      GrpcMethod.of(
          "envoy.service.auth.v3.Authorization", "Check", CheckResponse.getDefaultInstance());

  private final ClusterRuntime cluster;
  private final AuthzSettings settings;

  public GrpcAuthzClient(Vertx vertx, ClusterRuntime cluster, AuthzSettings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  @Override
  public Future<Decision> check(Check check) {
    Endpoint endpoint;
    try {
      endpoint = cluster.pick(0, null);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return cluster
        .unary(endpoint, CHECK, request(check), settings.timeout())
        .map(GrpcAuthzClient::decision);
  }

  static CheckRequest request(Check check) {
    AttributeContext.HttpRequest.Builder http =
        AttributeContext.HttpRequest.newBuilder()
            .setMethod(check.method())
            .setScheme(check.scheme())
            .setHost(check.host())
            .setPath(check.path())
            .setProtocol("HTTP/1.1");
    http.putHeaders(":authority", check.host());
    http.putHeaders(":method", check.method());
    http.putHeaders(":path", check.path());
    for (String name : check.headers().names()) {
      // Envoy sends one value per header, several joined with ",".
      http.putHeaders(name, String.join(",", check.headers().getAll(name)));
    }
    if (check.body() != null) {
      http.setBody(check.body().toString(StandardCharsets.UTF_8))
          .setRawBody(ByteString.copyFrom(check.body().getBytes()));
    }
    return CheckRequest.newBuilder()
        .setAttributes(
            AttributeContext.newBuilder()
                .setSource(
                    AttributeContext.Peer.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress(check.remoteAddress())
                                        .setPortValue(check.remotePort()))))
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http))
                .putAllContextExtensions(check.contextExtensions()))
        .build();
  }

  static Decision decision(CheckResponse response) {
    if (response.getStatus().getCode() == 0) {
      var ok = response.getOkResponse();
      List<Map.Entry<String, String>> set = new ArrayList<>();
      List<Map.Entry<String, String>> append = new ArrayList<>();
      for (HeaderValueOption header : ok.getHeadersList()) {
        boolean appends =
            header.hasAppend()
                ? header.getAppend().getValue()
                : header.getAppendAction()
                        == HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                    && false;
        (appends ? append : set)
            .add(Map.entry(header.getHeader().getKey(), header.getHeader().getValue()));
      }
      List<Map.Entry<String, String>> responseHeaders =
          ok.getResponseHeadersToAddList().stream()
              .map(h -> Map.entry(h.getHeader().getKey(), h.getHeader().getValue()))
              .toList();
      return new Allow(set, append, List.copyOf(ok.getHeadersToRemoveList()), responseHeaders);
    }
    var denied = response.getDeniedResponse();
    int status =
        denied.hasStatus() && denied.getStatus().getCodeValue() > 0
            ? denied.getStatus().getCodeValue()
            : 403;
    return new Deny(
        status,
        denied.getHeadersList().stream()
            .map(h -> Map.entry(h.getHeader().getKey(), h.getHeader().getValue()))
            .toList(),
        denied.getBody());
  }
}
