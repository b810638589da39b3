package dev.gatehouse.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A control plane in a child JVM ({@link ControlPlaneMain}) on fixed ports, which {@link #kill()}
 * ends with SIGKILL and {@link #start()} brings back on the same ports. Its output goes to {@code
 * target/control-plane-XDS_PORT.log}.
 */
final class ControlPlaneProcess implements AutoCloseable {
  private final List<String> args;
  private final Path log;
  private Process process;

  ControlPlaneProcess(Path configDir, int xdsPort, int adminPort, int httpPort, int httpsPort) {
    this(configDir, xdsPort, adminPort, httpPort, httpsPort, List.of());
  }

  /** With {@code replicaArgs} = HAZELCAST_PORT, MEMBERS, KEY_ROTATION_MS: a Hazelcast replica. */
  ControlPlaneProcess(
      Path configDir,
      int xdsPort,
      int adminPort,
      int httpPort,
      int httpsPort,
      List<String> replicaArgs) {
    List<String> all = new ArrayList<>();
    all.add(configDir.toString());
    for (int port : new int[] {xdsPort, adminPort, httpPort, httpsPort}) {
      all.add(Integer.toString(port));
    }
    all.addAll(replicaArgs);
    this.args = List.copyOf(all);
    this.log = Path.of("target", "control-plane-" + xdsPort + ".log").toAbsolutePath();
  }

  /** Starts the child JVM and returns once it serves (bounded: 60 s). */
  ControlPlaneProcess start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    // A killed member is noticed within seconds rather than Hazelcast's default 60.
    command.add("-Dhazelcast.max.no.heartbeat.seconds=6");
    command.add("-Dhazelcast.heartbeat.interval.seconds=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ControlPlaneMain.class.getName());
    command.addAll(args);
    Files.createDirectories(log.getParent());
    long offset = Files.exists(log) ? Files.size(log) : 0;
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "control plane exited with " + process.exitValue() + "; see " + log);
              }
              return Files.readString(log)
                  .substring((int) Math.min(offset, Files.size(log)))
                  .contains(ControlPlaneMain.READY);
            });
    return this;
  }

  /** SIGKILL, as a crash or an OOM kill would end it; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
