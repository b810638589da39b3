package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtAuthzCommandTest {
  @TempDir Path dir;

  @Test
  void withoutConfigDirItIsAUsageError() {
    Execution run = Execution.of("ext-authz");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("Missing --config-dir");
  }

  @Test
  void controlPlaneWithASessionClusterIsAUsageError() {
    Execution run =
        Execution.of(
            "ext-authz",
            "--control-plane",
            "127.0.0.1:5701",
            "--hazelcast-members",
            "127.0.0.1:5801");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err())
        .startsWith(
            "--control-plane: given with --config-dir, --hazelcast-members or --hazelcast-client");
  }

  @Test
  void membersAndClientModeTogetherAreAUsageError() {
    Execution run =
        Execution.of(
            "ext-authz",
            "--config-dir",
            dir.toString(),
            "--hazelcast-members",
            "10.0.0.1:5801",
            "--hazelcast-client",
            "10.0.0.2:5701");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("either --hazelcast-members or --hazelcast-client");
  }

  @Test
  void servesTheConfiguredPolicyUntilStopped() throws Exception {
    Files.writeString(dir.resolve("keys.txt"), "k-1\n");
    Files.writeString(
        dir.resolve("authz.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: keys, namespace: default}
        spec:
          APIKey: {keys: [{file: keys.txt}]}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: p, namespace: default}
        spec:
          rules: [{host: "*", path: "/api/*", filters: [{name: keys}]}]
        """);
    int grpc = freePort();
    int http = freePort();
    int admin = freePort();
    AtomicReference<Execution> result = new AtomicReference<>();
    Thread command =
        new Thread(
            () ->
                result.set(
                    Execution.of(
                        "ext-authz",
                        "--config-dir",
                        dir.toString(),
                        "--authz-grpc-port",
                        String.valueOf(grpc),
                        "--authz-http-port",
                        String.valueOf(http),
                        "--admin-port",
                        String.valueOf(admin))));
    command.start();
    HttpClient client = HttpClient.newHttpClient();
    try {
      awaitReady(client, admin, Duration.ofSeconds(30));

      assertThat(get(client, http, "/api/x", "k-1").statusCode()).isEqualTo(200);
      assertThat(get(client, http, "/api/x", "wrong").statusCode()).isEqualTo(403);
    } finally {
      command.interrupt();
      command.join(20_000);
    }
    assertThat(result.get().exitCode()).isEqualTo(Gatehouse.OK);
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path, String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      request.header("x-api-key", key);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls /ready until it answers 200 (the launcher has no Awaitility on its classpath). */
  private static void awaitReady(HttpClient client, int admin, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        if (get(client, admin, "/ready", null).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notListeningYet) {
        // the service is still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("ext-authz not ready within " + limit);
      }
      Thread.sleep(100);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
