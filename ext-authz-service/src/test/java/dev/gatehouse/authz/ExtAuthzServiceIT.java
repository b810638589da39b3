package dev.gatehouse.authz;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as deployed: hot reload, admin endpoints, HTTP mode, fail-closed loading. */
class ExtAuthzServiceIT {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static ConfigDir config;
  private static ExtAuthzService service;
  private static CheckClient client;
  private static WebClient web;

  static final String POLICY =
      ConfigDir.policy(
          "keys",
          """
          rules:
          - {host: "*", path: /open/*, filters: null}
          - host: "*"
            path: /api/*
            filters:
            - name: keys
              ifRequestHeader: {name: x-internal, negate: true}
          """);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config =
        new ConfigDir(dir)
            .write("keys/api.txt", "first-key\n")
            .write(
                "filters.yaml",
                ConfigDir.filter("keys", "APIKey:\n  keys: [{file: keys/api.txt}]\n"))
            .write("policy.yaml", POLICY);
    service = Services.start(vertx, dir);
    client = new CheckClient(vertx, service.grpcPort());
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static CheckResponse withKey(String key) {
    return client.get("h", "/api/x", Map.of("x-api-key", key));
  }

  private static HttpResponse<Buffer> admin(String path) throws Exception {
    return web.get(service.adminPort(), "127.0.0.1", path).send().await(5, TimeUnit.SECONDS);
  }

  @Test
  void readyAndLiveAnswer200() throws Exception {
    assertThat(admin("/ready").statusCode()).isEqualTo(200);
    assertThat(admin("/live").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountChecksPerFilterAndOutcome() throws Exception {
    withKey("first-key");
    withKey("wrong-key");

    String metrics = admin("/metrics").bodyAsString();

    assertThat(metrics)
        .containsPattern(
            "gatehouse_authz_filter_checks_total\\{filter=\"default/keys\",outcome=\"allowed\"} [1-9]")
        .containsPattern(
            "gatehouse_authz_filter_checks_total\\{filter=\"default/keys\",outcome=\"denied\"} [1-9]")
        .contains("gatehouse_authz_check_duration_seconds_bucket")
        .contains("gatehouse_authz_checks_total{result=\"allowed\"}");
  }

  @Test
  void keyFileChangeAppliesWithoutRestart() {
    assertThat(status(withKey("second-key"))).isEqualTo(403);

    config.write("keys/api.txt", "first-key\nsecond-key\n");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(status(withKey("second-key"))).isEqualTo(200));
  }

  @Test
  void aLogWrittenIntoTheWatchedDirectoryIsAppliedQuietly() throws Exception {
    Thread.sleep(600); // any reload another test started is over
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ExtAuthzService.class);
    ch.qos.logback.classic.Level level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    logger.addAppender(log);
    try {
      // Each line is a change of a file that is not YAML: the same resources are applied again
      // (API key files are read again), and used to be logged as applied, for ever.
      dev.gatehouse.testkit.GrowingLog.append(dir.resolve("ext-authz.log"), 3, 300);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  log.list.stream()
                      .anyMatch(e -> e.getFormattedMessage().startsWith("configuration applied")));
      assertThat(log.list)
          .noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO));
    } finally {
      logger.detachAppender(log);
      logger.setLevel(level);
    }
  }

  @Test
  void brokenEditKeepsTheLastGoodPolicyEnforced() {
    config.write("policy.yaml", "apiVersion: getambassador.io/v3alpha1\nkind: FilterPolicy\n: [\n");
    try {
      // Give the watcher time to see the broken file; the old policy must still deny.
      await()
          .pollDelay(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(status(client.get("h", "/api/x", Map.of()))).isEqualTo(401));
    } finally {
      config.write("policy.yaml", POLICY);
    }
  }

  @Test
  void ifRequestHeaderNegateSkipsTheFilterForInternalCalls() {
    assertThat(status(client.get("h", "/api/x", Map.of("x-internal", "1")))).isEqualTo(200);
    assertThat(status(client.get("h", "/open/x", Map.of()))).isEqualTo(200);
  }

  @Test
  void httpModeAllowsWith200AndDeniesVerbatim() throws Exception {
    HttpResponse<Buffer> allowed =
        web.get(service.httpPort(), "127.0.0.1", "/api/x")
            .putHeader("x-api-key", "first-key")
            .send()
            .await(5, TimeUnit.SECONDS);
    HttpResponse<Buffer> denied =
        web.get(service.httpPort(), "127.0.0.1", "/api/x")
            .putHeader("x-api-key", "nope")
            .send()
            .await(5, TimeUnit.SECONDS);

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.bodyAsString()).isEqualTo("invalid API key\n");
  }

  @Test
  void policyThatNeverLoadedMakesEveryCheckFailClosed(@TempDir Path brokenDir) {
    new ConfigDir(brokenDir)
        .write("policy.yaml", "apiVersion: getambassador.io/v3alpha1\nkind: FilterPolicy\n: [\n");
    try (ExtAuthzService broken = Services.start(vertx, brokenDir);
        CheckClient brokenClient = new CheckClient(vertx, broken.grpcPort())) {
      CheckResponse response = brokenClient.get("h", "/anything", Map.of());

      assertThat(status(response)).isEqualTo(503);
      assertThat(header(response, "content-type")).startsWith("text/plain");
    }
  }
}
