package dev.gatehouse.proxy;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane watching a directory and a real edge proxy streaming ADS from it, on
 * loopback ports, for end-to-end tests.
 */
final class EdgeStack implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Path configDir;
  final int httpPort;
  final ControlPlane controlPlane;
  final EdgeProxy proxy;
  final HttpClient client;

  EdgeStack(Path configDir) throws Exception {
    this.configDir = configDir;
    List<Integer> ports = FreePorts.next(2);
    this.httpPort = ports.get(0);
    ControlPlaneOptions options =
        new ControlPlaneOptions(
            configDir,
            "default",
            "127.0.0.1",
            0,
            0,
            new CompilerOptions("127.0.0.1", httpPort, ports.get(1)),
            Duration.ofMillis(50),
            null);
    this.controlPlane = new ControlPlane(vertx, options).start().await(30, TimeUnit.SECONDS);
    this.proxy =
        new EdgeProxy(
                vertx,
                new EdgeProxyOptions(
                    List.of(
                        new EdgeProxyOptions.Address("127.0.0.1", controlPlane.xds().actualPort())),
                    "test-node",
                    "edge-proxy",
                    "127.0.0.1",
                    0))
            .start()
            .await(30, TimeUnit.SECONDS);
    this.client =
        vertx.createHttpClient(
            // A connection per request: the tests are about the edge, and a keep-alive client
            // connection that Vert.x's test client left stuck once in ~10 runs read as a hang.
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(httpPort)
                .setKeepAlive(false));
  }

  void write(String file, String yaml) throws IOException {
    Files.writeString(configDir.resolve(file), yaml);
  }

  /** A request through the edge; the answer's status, headers and body. */
  Answer send(HttpMethod method, String path, Map<String, String> headers) throws Exception {
    RequestOptions options =
        new RequestOptions().setMethod(method).setURI(path).setHost("127.0.0.1").setPort(httpPort);
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Answer(response, body.toString())))
        .await(20, TimeUnit.SECONDS);
  }

  Answer get(String path) throws Exception {
    return send(HttpMethod.GET, path, Map.of());
  }

  /** What came back. */
  record Answer(HttpClientResponse response, String body) {
    int status() {
      return response.statusCode();
    }

    String header(String name) {
      return response.getHeader(name);
    }

    /** The echo upstream's report of what it received. */
    JsonObject echo() {
      return new JsonObject(body);
    }
  }

  @Override
  public void close() throws Exception {
    proxy.close().await(20, TimeUnit.SECONDS);
    controlPlane.close().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
