package dev.gatehouse.ratelimit;

import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * redis-server processes in shapes the testkit does not start: with a password and TLS, as a
 * Sentinel, as a Cluster. Every process is killed on {@link #close()}.
 */
final class RedisProcesses implements AutoCloseable {
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();

  RedisProcesses() {
    try {
      dir = Files.createTempDirectory("gatehouse-redis-shapes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  /** Starts {@code redis-server} with the arguments and waits until {@code port} accepts. */
  int start(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-server"));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
              .start();
      processes.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
    return port;
  }

  /** A plain server on a fresh port with extra arguments. */
  int server(String... extra) {
    int port = FreePorts.next();
    List<String> args = new ArrayList<>(base(port));
    args.addAll(List.of(extra));
    return start(port, args.toArray(String[]::new));
  }

  static List<String> base(int port) {
    return List.of(
        "--port",
        Integer.toString(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no");
  }

  /** Runs {@code redis-cli} with the arguments and returns what it printed. */
  String cli(String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("redis-cli " + args + " did not finish");
      }
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    for (Process process : processes) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
