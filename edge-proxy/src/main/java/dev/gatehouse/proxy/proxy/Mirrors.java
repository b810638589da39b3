package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Request mirroring (Emissary's shadow): a copy of the request goes to each mirror cluster with
 * {@code -shadow} appended to its Host, fire and forget; its answer and its failures are ignored. A
 * streamed body is not mirrored.
 */
final class Mirrors {
  private Mirrors() {}

  static void send(
      Vertx vertx,
      ProxySnapshot snapshot,
      List<String> clusters,
      Exchange exchange,
      String path,
      String authority,
      MultiMap headers,
      Buffer body) {
    if (clusters.isEmpty() || body == null) {
      return;
    }
    for (String name : clusters) {
      ClusterRuntime cluster = snapshot.clusters().get(name);
      if (cluster == null) {
        continue;
      }
      Endpoint endpoint;
      try {
        endpoint = cluster.pick(exchange.clientAddress.hashCode(), null);
      } catch (RuntimeException e) {
        continue;
      }
      MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
      String host =
          authority.contains(":") ? authority.replaceFirst(":", "-shadow:") : authority + "-shadow";
      copy.set("host", host);
      RequestOptions options =
          new RequestOptions()
              .setMethod(exchange.request.method())
              .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
              .setHost(endpoint.host())
              .setPort(endpoint.port())
              .setURI(path)
              .setHeaders(copy)
              .setTimeout(30_000);
      cluster
          .client()
          .request(options)
          .compose(request -> request.send(body))
          .compose(response -> response.body())
          .onFailure(ignored -> {});
    }
  }
}
