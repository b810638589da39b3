package dev.gatehouse.authz;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real ext_authz gRPC client over loopback, as Envoy would call the service. */
public final class CheckClient implements AutoCloseable {
  static final ServiceMethod<CheckResponse, CheckRequest> CHECK =
      ServiceMethod.client(
          ServiceName.create(AuthorizationGrpc.SERVICE_NAME),
          AuthorizationGrpc.getCheckMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(CheckResponse.newBuilder()));

  private final GrpcClient client;
  private final SocketAddress server;

  public CheckClient(Vertx vertx, int port) {
    this.client = GrpcClient.client(vertx);
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  public Future<CheckResponse> checkAsync(CheckRequest request) {
    return client
        .request(server, CHECK)
        .compose(call -> call.send(request))
        .compose(GrpcClientResponse::last);
  }

  public CheckResponse check(CheckRequest request) {
    try {
      return checkAsync(request).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Check took over 10 s", e);
    }
  }

  /** A GET of {@code path} on {@code host} with the given headers. */
  public CheckResponse get(String host, String path, Map<String, String> headers) {
    return check(request("GET", "http", host, path, headers, Map.of()));
  }

  public static CheckRequest request(
      String method,
      String scheme,
      String host,
      String path,
      Map<String, String> headers,
      Map<String, String> contextExtensions) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(":authority", host);
    all.put(":path", path);
    all.put(":method", method);
    return CheckRequest.newBuilder()
        .setAttributes(
            AttributeContext.newBuilder()
                .putAllContextExtensions(contextExtensions)
                .setRequest(
                    AttributeContext.Request.newBuilder()
                        .setHttp(
                            AttributeContext.HttpRequest.newBuilder()
                                .setMethod(method)
                                .setScheme(scheme)
                                .setHost(host)
                                .setPath(path)
                                .putAllHeaders(all))))
        .build();
  }

  /** The header of a response, allowed or denied, or null. */
  public static String header(CheckResponse response, String name) {
    var headers =
        response.hasOkResponse()
            ? response.getOkResponse().getHeadersList()
            : response.getDeniedResponse().getHeadersList();
    return headers.stream()
        .filter(h -> h.getHeader().getKey().equalsIgnoreCase(name))
        .map(h -> h.getHeader().getValue())
        .findFirst()
        .orElse(null);
  }

  /** The HTTP status the client gets: 200 when allowed. */
  public static int status(CheckResponse response) {
    return response.getStatus().getCode() == 0
        ? 200
        : response.getDeniedResponse().getStatus().getCodeValue();
  }

  @Override
  public void close() {
    client.close();
  }
}
