package dev.gatehouse.bench.proxy;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The control plane of the proxy benchmarks: a directory with one Mapping to the upstream (and
 * extra-mappings more that never match), compiled for listeners on edge-port. Run alone, it prints
 * "XDS port" and "DIR path" and serves until killed, so that the edge proxy can run in a JVM of its
 * own and its memory be measured alone; {@link EdgeUnderTest} also starts it in its own JVM.
 *
 * <p>Arguments: edge-port upstream-port [extra-mappings]
 */
public final class ControlPlaneUnderTest {
  private ControlPlaneUnderTest() {}

  public static void main(String[] args) throws Exception {
    int edgePort = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int extra = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Running running = start(Vertx.vertx(), edgePort, upstreamPort, extra);
    System.out.println("XDS " + running.controlPlane().xds().actualPort());
    System.out.println("DIR " + running.dir());
    System.out.flush();
    Thread.currentThread().join();
  }

  /** A started control plane and the directory it watches. */
  record Running(ControlPlane controlPlane, Path dir) {}

  static Running start(Vertx vertx, int edgePort, int upstreamPort, int extra) throws Exception {
    Path dir = Files.createTempDirectory("edge-bench");
    StringBuilder yaml = new StringBuilder();
    yaml.append(mapping("bench", "/", upstreamPort));
    for (int i = 0; i < extra; i++) {
      yaml.append("---\n").append(mapping("extra-" + i, "/extra/" + i + "/", upstreamPort));
    }
    Files.writeString(dir.resolve("bench.yaml"), yaml);
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
    return new Running(controlPlane, dir);
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
