package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill (c), first half: the control plane (a child JVM) is killed with SIGKILL under a fixed
 * request rate; edge-proxy serves from its last configuration with zero errors, reconnects when the
 * control plane is back on the same port, and picks up a Mapping added while it was away.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlPlaneRestartIT {
  private static final int RATE = 50;

  @RegisterExtension static EchoUpstream quote = new EchoUpstream("quote");
  @RegisterExtension static EchoUpstream added = new EchoUpstream("added");

  @TempDir Path dir;
  private ControlPlaneProcess controlPlane;
  private Edge edge;

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  private static String mapping(String name, String prefix, int port) {
    return """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: %s}
        spec:
          prefix: %s
          service: 127.0.0.1:%d
        """
        .formatted(name, prefix, port);
  }

  @Test
  void edgeServesThroughAControlPlaneCrashAndPicksUpTheChangeMadeMeanwhile() throws Exception {
    List<Integer> ports = FreePorts.next(4);
    Files.writeString(dir.resolve("quote.yaml"), mapping("quote", "/quote/", quote.port()));
    controlPlane =
        new ControlPlaneProcess(dir, ports.get(0), ports.get(1), ports.get(2), ports.get(3))
            .start();
    edge = Edge.start(ports.get(2), ports.get(0));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> edge.get("/quote/").status() == 200);

    List<Load.Shot> shots;
    long killedAt;
    long restartedAt;
    try (Load load = Load.start(edge.httpPort, "/quote/", Map.of(), RATE)) {
      load.awaitSteady(RATE, 40);
      long from = load.now();
      Thread.sleep(2_000);
      killedAt = load.now();
      controlPlane.kill();
      Files.writeString(dir.resolve("added.yaml"), mapping("added", "/added/", added.port()));
      Thread.sleep(4_000);
      assertThat(edge.get("/added/").status())
          .as("no control plane: the edge keeps its last configuration")
          .isEqualTo(404);
      restartedAt = load.now();
      controlPlane.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> edge.get("/added/").status() == 200);
      long pickedUp = load.now();
      org.slf4j.LoggerFactory.getLogger("gatehouse.e2e")
          .info(
              "control plane down {} ms; the change made meanwhile served {} ms after its"
                  + " restart began (JVM start included)",
              restartedAt - killedAt,
              pickedUp - restartedAt);
      Thread.sleep(2_000);
      shots = load.stop().stream().filter(s -> s.sentAt() >= from).toList();
    }

    Tally all = new Tally("control plane killed and restarted", shots);
    all.summary();
    all.between("control plane down", killedAt, restartedAt).summary();
    assertThat(all.total()).isGreaterThan(RATE * 6);
    assertThat(all.failures()).as("zero errors while the control plane is away").isEmpty();
    assertThat(edge.get("/added/").body()).contains("\"added\"");
  }
}
