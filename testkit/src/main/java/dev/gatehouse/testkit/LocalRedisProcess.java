package dev.gatehouse.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Redis as a {@code redis-server} child process bound to 127.0.0.1, nothing saved to disk. */
final class LocalRedisProcess implements RedisBackend {

  static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path executable;
  private Process process;
  private Path workDir;
  private Thread shutdownHook;

  LocalRedisProcess(Path executable) {
    this.executable = executable;
  }

  /** The first executable {@code redis-server} on PATH, if any. */
  static Optional<Path> findOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "redis-server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Override
  public void start(int port) {
    try {
      workDir = Files.createTempDirectory("gatehouse-redis-");
      Path log = workDir.resolve("redis.log");
      List<String> command =
          List.of(
              executable.toString(),
              "--port",
              Integer.toString(port),
              "--bind",
              HOST,
              "--save",
              "",
              "--appendonly",
              "no",
              "--daemonize",
              "no",
              "--dir",
              workDir.toString());
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Process started = process;
      // A JVM that exits without running afterAll (System.exit, a crashed fork) must not leave
      // a redis-server behind holding the port.
      shutdownHook = new Thread(started::destroyForcibly, "redis-server-" + port + "-reaper");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      awaitPong(port, log);
    } catch (IOException e) {
      stop(false);
      throw new UncheckedIOException("cannot start " + executable + " on port " + port, e);
    } catch (RuntimeException e) {
      stop(false);
      throw e;
    }
  }

  private void awaitPong(int port, Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server on port "
                + port
                + " exited with "
                + process.exitValue()
                + " before answering PING; its log:\n"
                + readLog(log));
      }
      if (RedisPing.ping(HOST, port, Duration.ofMillis(200))) {
        return;
      }
      // Polling a child process that gives no readiness signal of its own.
      pause(Duration.ofMillis(10));
    }
    throw new IllegalStateException(
        "redis-server on port "
            + port
            + " did not answer PING within "
            + START_TIMEOUT
            + "; its log:\n"
            + readLog(log));
  }

  @Override
  public void stop(boolean graceful) {
    if (process != null) {
      if (graceful) {
        process.destroy();
      } else {
        process.destroyForcibly();
      }
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it kills the process anyway.
      }
      shutdownHook = null;
    }
    deleteWorkDir();
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public String description() {
    return "local " + executable;
  }

  private void deleteWorkDir() {
    if (workDir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless.
    }
    workDir = null;
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}
