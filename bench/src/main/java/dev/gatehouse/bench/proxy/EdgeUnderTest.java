package dev.gatehouse.bench.proxy;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import io.vertx.core.Vertx;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The proxy under test for bench/edge-proxy: a control plane watching a directory with one Mapping
 * (and, with "--mappings N", N-1 more that never match), and an edge proxy configured by it over
 * ADS, listening on the given port. Prints the watched directory ("DIR path", for scripts that edit
 * it under load) and READY when a request through it succeeds, then runs until killed.
 *
 * <p>Arguments: edge-port upstream-port [extra-mappings]
 */
public final class EdgeUnderTest {
  private EdgeUnderTest() {}

  public static void main(String[] args) throws Exception {
    int edgePort = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int extra = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Path dir = Files.createTempDirectory("edge-bench");
    StringBuilder yaml = new StringBuilder();
    yaml.append(mapping("bench", "/", upstreamPort));
    for (int i = 0; i < extra; i++) {
      yaml.append("---\n").append(mapping("extra-" + i, "/extra/" + i + "/", upstreamPort));
    }
    Files.writeString(dir.resolve("bench.yaml"), yaml);
    Vertx vertx = Vertx.vertx();
    ControlPlaneOptions options =
        new ControlPlaneOptions(
            dir,
            "default",
            "127.0.0.1",
            0,
            0,
            new CompilerOptions("127.0.0.1", edgePort, edgePort + 1),
            Duration.ofMillis(200),
            null);
    ControlPlane controlPlane =
        new ControlPlane(vertx, options).start().await(60, TimeUnit.SECONDS);
    new EdgeProxy(
            vertx,
            new EdgeProxyOptions(
                List.of(new EdgeProxyOptions.Address("127.0.0.1", controlPlane.xds().actualPort())),
                "bench",
                "edge-proxy",
                "127.0.0.1",
                0))
        .start()
        .await(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + edgePort + "/").toURL().openConnection();
        if (connection.getResponseCode() == 200) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // the listener is not bound yet
      }
      Thread.sleep(100);
    }
    System.out.println("DIR " + dir);
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String mapping(String name, String prefix, int port) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + "}\nspec:\n  prefix: "
        + prefix
        + "\n  rewrite: /\n  service: 127.0.0.1:"
        + port
        + "\n";
  }
}
