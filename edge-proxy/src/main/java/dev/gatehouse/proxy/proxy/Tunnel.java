package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 upgrade (websocket) through the edge, for routes whose upgrade_configs allow it: the
 * upgrade request goes upstream as is; on its 101 both sides become raw sockets piped to each
 * other; any other answer goes back as a normal response.
 */
final class Tunnel {
  private Tunnel() {}

  static Future<Void> open(
      ClusterRuntime cluster,
      HttpServerRequest request,
      String uri,
      MultiMap headers,
      Consumer<MultiMap> editHeaders) {
    Endpoint endpoint = cluster.pick(0, null);
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
            .setHost(endpoint.host())
            .setPort(endpoint.port())
            .setURI(uri)
            .setHeaders(headers);
    return cluster
        .client()
        .request(options)
        .compose(upstream -> upstream.connect())
        .compose(
            response -> {
              if (response.statusCode() != 101) {
                return ResponseRelay.relay(response, request.response(), editHeaders);
              }
              HttpServerResponse downstream = request.response();
              downstream.setStatusCode(101);
              MultiMap copy = Headers.lowerCased(response.headers());
              editHeaders.accept(copy);
              downstream.headers().addAll(copy);
              NetSocket upstreamSocket = response.netSocket();
              request.resume();
              return request
                  .toNetSocket()
                  .map(
                      client -> {
                        client.pipeTo(upstreamSocket);
                        upstreamSocket.pipeTo(client);
                        return null;
                      });
            });
  }
}
