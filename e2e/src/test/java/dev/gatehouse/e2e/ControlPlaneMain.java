package dev.gatehouse.e2e;

import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of a control plane in a child JVM, so that a drill can kill it with SIGKILL as a
 * crash would. Arguments: {@code CONFIG_DIR XDS_PORT ADMIN_PORT HTTP_PORT HTTPS_PORT
 * [HAZELCAST_PORT MEMBERS KEY_ROTATION_MS]}; prints {@link #READY} once it serves.
 */
public final class ControlPlaneMain {
  static final String READY = "control plane ready";

  private ControlPlaneMain() {}

  public static void main(String[] args) throws Exception {
    int[] ports = Arrays.stream(args, 1, 5).mapToInt(Integer::parseInt).toArray();
    ReplicaOptions replicas = null;
    if (args.length > 5) {
      replicas =
          new ReplicaOptions(
              Distribution.CLUSTER_NAME,
              "127.0.0.1",
              Integer.parseInt(args[5]),
              List.of(args[6].split(",")),
              null,
              Duration.ofMillis(Long.parseLong(args[7])));
    }
    Vertx vertx = Vertx.vertx();
    new ControlPlane(
            vertx,
            new ControlPlaneOptions(
                Path.of(args[0]),
                "default",
                "127.0.0.1",
                ports[0],
                ports[1],
                new CompilerOptions("127.0.0.1", ports[2], ports[3]),
                Duration.ofMillis(50),
                replicas))
        .start()
        .await(60, TimeUnit.SECONDS);
    System.out.println(READY);
    System.out.flush();
    Thread.currentThread().join();
  }
}
