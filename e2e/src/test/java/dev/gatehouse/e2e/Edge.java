package dev.gatehouse.e2e;

import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real edge proxy in this JVM, streaming ADS from the given control planes. */
final class Edge implements AutoCloseable {
  /** A status and body. */
  record Answer(int status, String body) {}

  final Vertx vertx;
  final EdgeProxy proxy;
  final int httpPort;
  private final HttpClient client;

  private Edge(Vertx vertx, EdgeProxy proxy, int httpPort) {
    this.vertx = vertx;
    this.proxy = proxy;
    this.httpPort = httpPort;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /**
   * Starts an edge proxy whose listener (as the control plane says) is on {@code httpPort}; the xDS
   * servers are tried in turn.
   */
  static Edge start(int httpPort, int... xdsPorts) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<EdgeProxyOptions.Address> servers =
        Arrays.stream(xdsPorts)
            .mapToObj(port -> new EdgeProxyOptions.Address("127.0.0.1", port))
            .toList();
    EdgeProxy proxy =
        new EdgeProxy(
                vertx, new EdgeProxyOptions(servers, "e2e-node", "edge-proxy", "127.0.0.1", 0))
            .start()
            .await(30, TimeUnit.SECONDS);
    return new Edge(vertx, proxy, httpPort);
  }

  /** One GET through the edge on a fresh connection. */
  Answer get(String path, Map<String, String> headers) throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(httpPort)
            .setURI(path)
            .setTimeout(10_000);
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(r -> r.body().map(body -> new Answer(r.statusCode(), body.toString())))
        .await(20, TimeUnit.SECONDS);
  }

  Answer get(String path) throws Exception {
    return get(path, Map.of());
  }

  @Override
  public void close() throws Exception {
    proxy.close().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
