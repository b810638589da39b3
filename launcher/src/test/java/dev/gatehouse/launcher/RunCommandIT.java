package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gatehouse run} in this JVM, as a user runs it: one command, a directory of resources, and
 * the edge proxy routing to a real upstream through the real ext-authz and ratelimit services.
 */
class RunCommandIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final EchoUpstream upstream = new EchoUpstream("quote").start();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final StringWriter output = new StringWriter();
  private final AtomicInteger exit = new AtomicInteger(-1);
  private Thread running;

  private final int httpPort;
  private final int hazelcastPort;
  private final int rateLimitPort;
  private final int authzGrpcPort;
  private final int authzHttpPort;
  private final int httpsPort;

  RunCommandIT() {
    List<Integer> ports = FreePorts.next(6);
    httpPort = ports.get(0);
    hazelcastPort = ports.get(1);
    rateLimitPort = ports.get(2);
    authzGrpcPort = ports.get(3);
    authzHttpPort = ports.get(4);
    httpsPort = ports.get(5);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (running != null) {
      running.interrupt();
      running.join(Duration.ofSeconds(60).toMillis());
    }
    upstream.close();
  }

  @Test
  void routesThroughAuthzAndRateLimitAndReloadsTheDirectory() throws Exception {
    writeConfig();
    start();

    HttpResponse<String> routed = get("/echo/hello");
    assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
    assertThat(routed.body()).contains("/hello");

    // The APIKey Filter of ext-authz guards /secure/: no key, 401; the key, the upstream.
    assertThat(get("/secure/x").statusCode()).isEqualTo(401);
    assertThat(get("/secure/x", "x-api-key", "s3cret").statusCode()).isEqualTo(200);

    // Two per hour on /limited/ (an hour: a fixed window ending mid-test would refill), counted by
    // the in-memory ratelimit service.
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(get("/limited/").statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 429);

    // Hot reload: a new Mapping in the directory is routed without a restart.
    Files.writeString(dir.resolve("late.yaml"), mapping("late", "/late/", ""));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get("/late/x").statusCode()).isEqualTo(200));
  }

  @Test
  void stopsWhenAskedAndReleasesItsPorts() throws Exception {
    writeConfig();
    start();
    assertThat(get("/echo/").statusCode()).isEqualTo(200);

    running.interrupt();
    running.join(Duration.ofSeconds(60).toMillis());

    assertThat(running.isAlive()).as("gatehouse run stopped").isFalse();
    assertThat(exit.get()).isZero();
    for (int port : List.of(httpPort, hazelcastPort, rateLimitPort, authzGrpcPort)) {
      assertThat(listening(port)).as("port %d released", port).isFalse();
    }
    running = null;
  }

  @Test
  void refusesAMissingDirectoryWithAUsageError() {
    CommandLine cli = Gatehouse.commandLine(Map.of());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("run", "--config-dir", dir.resolve("nowhere").toString());

    assertThat(code).isEqualTo(Gatehouse.USAGE);
    assertThat(err.toString()).contains("--config-dir: " + dir.resolve("nowhere"));
  }

  private void start() {
    running =
        new Thread(
            () -> {
              CommandLine cli = Gatehouse.commandLine(Map.of());
              cli.setOut(new PrintWriter(output, true));
              cli.setErr(new PrintWriter(output, true));
              exit.set(
                  cli.execute(
                      "run",
                      "--config-dir",
                      dir.toString(),
                      "--http-port",
                      String.valueOf(httpPort),
                      "--https-port",
                      String.valueOf(httpsPort),
                      "--admin-port",
                      "0",
                      "--xds-port",
                      "0",
                      "--hazelcast-port",
                      String.valueOf(hazelcastPort),
                      "--ratelimit-port",
                      String.valueOf(rateLimitPort),
                      "--authz-grpc-port",
                      String.valueOf(authzGrpcPort),
                      "--authz-http-port",
                      String.valueOf(authzHttpPort)));
            },
            "gatehouse-run-under-test");
    running.start();
    await()
        .atMost(STARTUP)
        .until(() -> output.toString().contains("gatehouse run: diag ") || !running.isAlive());
    assertThat(running.isAlive()).as("gatehouse run is running: %s", output).isTrue();
  }

  private void writeConfig() throws IOException {
    Files.writeString(dir.resolve("keys.txt"), "s3cret\n");
    Files.writeString(
        dir.resolve("edge.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Host
        metadata: {name: any, namespace: default}
        spec:
          hostname: "*"
          requestPolicy: {insecure: {action: Route}}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: AuthService
        metadata: {name: authz, namespace: default}
        spec: {auth_service: "127.0.0.1:%d", proto: grpc, protocol_version: v3}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimitService
        metadata: {name: ratelimit, namespace: default}
        spec: {service: "127.0.0.1:%d", protocol_version: v3, domain: ambassador}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimit
        metadata: {name: limited, namespace: default}
        spec:
          domain: ambassador
          limits:
            - {pattern: [{generic_key: limited}], rate: 2, unit: hour}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: key, namespace: default}
        spec:
          APIKey: {keys: [{file: keys.txt}]}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: policy, namespace: default}
        spec:
          rules:
            - {host: "*", path: "/secure/*", filters: [{name: key}]}
        """
            .formatted(authzGrpcPort, rateLimitPort));
    Files.writeString(
        dir.resolve("mappings.yaml"),
        mapping("echo", "/echo/", "")
            + "---\n"
            + mapping("secure", "/secure/", "")
            + "---\n"
            + mapping(
                "limited",
                "/limited/",
                "  labels: {ambassador: [{group: [{generic_key: {value: limited}}]}]}\n"));
  }

  private String mapping(String name, String prefix, String extra) {
    return """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: %s, namespace: default}
        spec:
          hostname: "*"
          prefix: %s
          service: %s
        """
            .formatted(name, prefix, upstream.url())
        + extra;
  }

  private HttpResponse<String> get(String path, String... header) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(10));
    if (header.length == 2) {
      request.header(header[0], header[1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
