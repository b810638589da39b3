package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControlPlaneCommandTest {
  @TempDir Path dir;

  @Test
  void servesTheConfigDirectoryAndJoinsHazelcastUntilInterrupted() throws Exception {
    Files.writeString(
        dir.resolve("quote.yaml"),
        "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: quote}\n"
            + "spec: {prefix: /quote/, service: quote}\n");
    StringWriter out = new StringWriter();
    String hazelcastPort = String.valueOf(freePort());
    AtomicInteger exit = new AtomicInteger(-1);
    Thread running =
        new Thread(
            () -> {
              CommandLine cli = Gatehouse.commandLine(Map.of());
              cli.setOut(new PrintWriter(out, true));
              cli.setErr(new PrintWriter(out, true));
              exit.set(
                  cli.execute(
                      "control-plane",
                      "--config-dir",
                      dir.toString(),
                      "--xds-port",
                      "0",
                      "--admin-port",
                      "0",
                      "--hazelcast-port",
                      hazelcastPort));
            });
    running.start();
    try {
      Pattern started =
          Pattern.compile("xDS on port (\\d+), admin on port (\\d+), Hazelcast member ");
      Matcher ports = awaitOutput(out, started);

      HttpResponse<String> diag =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + ports.group(2)
                                  + "/ambassador/v0/diag/?json=true"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(diag.statusCode()).isEqualTo(200);
      assertThat(diag.body()).contains("Mapping default/quote");
    } finally {
      running.interrupt();
      running.join(20_000);
    }
    assertThat(exit.get()).isEqualTo(Gatehouse.OK);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits for the start line; the launcher has no Awaitility, and the line is the event. */
  private static Matcher awaitOutput(StringWriter out, Pattern pattern)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(out.toString());
      if (matcher.find()) {
        return matcher;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no line matching " + pattern + " in: " + out);
  }

  @Test
  void withoutConfigDirItIsAUsageError() {
    Execution run = Execution.of("control-plane");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("Missing required option: --config-dir=DIR");
  }

  @Test
  void aMissingConfigDirIsAUsageError() {
    Execution run = Execution.of("control-plane", "--config-dir", dir.resolve("nope").toString());

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("no such file or directory");
  }

  @Test
  void kubernetesAndAConfigDirTogetherAreAUsageError() {
    Execution run = Execution.of("control-plane", "--kubernetes", "--config-dir", dir.toString());

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("give one source, not both");
  }
}
