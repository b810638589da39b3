package dev.gatehouse.e2e;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real control plane in this JVM watching a directory, for drills that do not kill it. */
final class LocalControlPlane implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final ControlPlane controlPlane;
  final int httpPort;

  LocalControlPlane(Path configDir) throws Exception {
    var ports = FreePorts.next(2);
    this.httpPort = ports.get(0);
    this.controlPlane =
        new ControlPlane(
                vertx,
                new ControlPlaneOptions(
                    configDir,
                    "default",
                    "127.0.0.1",
                    0,
                    0,
                    new CompilerOptions("127.0.0.1", httpPort, ports.get(1)),
                    Duration.ofMillis(50),
                    null))
            .start()
            .await(30, TimeUnit.SECONDS);
  }

  int xdsPort() {
    return controlPlane.xds().actualPort();
  }

  @Override
  public void close() throws Exception {
    controlPlane.close().await(20, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
