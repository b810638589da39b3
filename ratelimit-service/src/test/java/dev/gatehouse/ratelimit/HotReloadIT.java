package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.config.ConfigError;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service as the launcher starts it, on a watched directory of envoyproxy/ratelimit files and
 * RateLimit resources: valid changes apply within a second without failing calls, invalid ones are
 * reported with file, line and field while the last good configuration keeps serving.
 */
class HotReloadIT {
  @TempDir Path dir;

  private Vertx vertx;
  private RateLimitServer server;
  private RlsClient client;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  private static final RateLimitRequest USER = request("edge", descriptor("user", "alice"));

  private static String limitOf(int requests) {
    return "domain: edge\ndescriptors:\n  - key: user\n    rate_limit: {unit: hour, requests_per_unit: "
        + requests
        + "}\n";
  }

  @BeforeEach
  void start() throws Exception {
    ((Logger) LoggerFactory.getLogger("dev.gatehouse.ratelimit.config")).addAppender(log);
    log.start();
    Files.writeString(dir.resolve("edge.yaml"), limitOf(1));
    vertx = Vertx.vertx();
    RateLimitServerOptions options =
        new RateLimitServerOptions(
            dir,
            "default",
            null,
            "127.0.0.1",
            0,
            null,
            null,
            dev.gatehouse.ratelimit.limiter.LimiterSettings.DEFAULTS,
            1,
            Duration.ofMillis(100));
    server = RateLimitServer.start(vertx, options).await(10, TimeUnit.SECONDS);
    client = new RlsClient(vertx, server.grpcPort());
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger("dev.gatehouse.ratelimit.config")).detachAppender(log);
    client.close();
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Path temp = dir.resolve("." + name + ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void validChangeAppliesWithinASecond() throws Exception {
    assertThat(client.check(USER).getOverallCode()).isEqualTo(Code.OK);
    assertThat(client.check(USER).getOverallCode()).isEqualTo(Code.OVER_LIMIT);

    write("edge.yaml", limitOf(100));
    await()
        .atMost(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(client.check(USER).getOverallCode()).isEqualTo(Code.OK));
    assertThat(client.check(USER).getStatuses(0).getCurrentLimit().getRequestsPerUnit())
        .isEqualTo(100);
  }

  @Test
  void invalidChangeIsReportedWithFileLineAndFieldWhileTheLastGoodKeepsServing() throws Exception {
    long version = server.limiter().config().version();
    write("edge.yaml", limitOf(100).replace("unit: hour", "unit: fortnight"));

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.limiter().config().version() > version);
    assertThat(server.configProblems().stream().map(ConfigError::toString))
        .containsExactly(
            "edge.yaml:4: domain edge: descriptors[0].rate_limit.unit: \"fortnight\" (expected: one"
                + " of second, minute, hour, day, week, month, year)",
            "edge.yaml: warning: domain edge: keeping the last good version until its errors are"
                + " fixed");
    client.check(USER);
    assertThat(client.check(USER).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(server.metrics().scrape()).contains("gatehouse_ratelimit_config_errors_total 1.0");
  }

  @Test
  void envoyproxyFilesAndRateLimitResourcesServeSideBySideWithOneLogLinePerLoad() throws Exception {
    write(
        "resources.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimit
        metadata: {name: backend}
        spec:
          domain: ambassador
          limits:
            - pattern: [{generic_key: backend}, {x-org: "*"}]
              rate: 2
              unit: minute
              action: LogOnly
              injectResponseHeaders: [{name: x-limited-by, value: gatehouse}]
        """);
    RateLimitRequest org =
        request("ambassador", descriptor("generic_key", "backend", "x-org", "acme"));
    await()
        .atMost(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(client.check(org).getStatuses(0).hasCurrentLimit()).isTrue());

    for (int i = 0; i < 3; i++) {
      var response = client.check(org);
      assertThat(response.getOverallCode()).isEqualTo(Code.OK); // LogOnly never denies
      assertThat(response.getResponseHeadersToAddList())
          .anySatisfy(
              h -> assertThat(h.getKey() + "=" + h.getValue()).isEqualTo("x-limited-by=gatehouse"));
    }
    assertThat(server.configProblems()).isEmpty();
    List<String> loads =
        log.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("config loaded"))
            .toList();
    assertThat(loads).hasSize(2);
    // Files are read on the watcher's thread, never on an event loop.
    assertThat(log.list.stream().map(ILoggingEvent::getThreadName).distinct())
        .containsExactly("gatehouse-config-watch");
    assertThat(loads.get(1))
        .contains("version=2", "domains=2", "limits=2", "envoy_files=1", "errors=0");
  }

  @Test
  void callsInFlightDuringReloadsAllSucceed() throws Exception {
    List<Future<RlsClient.Outcome>> calls = new ArrayList<>();
    RateLimitRequest other = request("edge", descriptor("user", "bob"));
    for (int round = 0; round < 4; round++) {
      write("edge.yaml", limitOf(1000 + round));
      long until = System.nanoTime() + Duration.ofMillis(400).toNanos();
      while (System.nanoTime() < until) {
        calls.add(client.send(other));
        if (calls.size() % 20 == 0) {
          Future.all(calls.subList(calls.size() - 20, calls.size())).await(5, TimeUnit.SECONDS);
        }
      }
    }
    Future.all(calls).await(10, TimeUnit.SECONDS);
    assertThat(calls).hasSizeGreaterThan(50);
    assertThat(calls)
        .allSatisfy(call -> assertThat(call.result().status()).isEqualTo(GrpcStatus.OK));
    // The watcher waits for 200 ms of quiet: each 400 ms round is one reload.
    assertThat(server.limiter().config().version()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aFileThatIsNotYamlChangingInTheDirectoryReloadsNothing() throws Exception {
    long version = server.limiter().config().version();
    // A log written into the watched directory: before, each load logged a line, the line was a
    // change, and the service reloaded five times a second for ever.
    dev.gatehouse.testkit.GrowingLog.append(dir.resolve("ratelimit.log"), 5, 300);
    Thread.sleep(500);

    assertThat(server.limiter().config().version()).isEqualTo(version);
    write("edge.yaml", limitOf(100));
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> server.limiter().config().version() == version + 1);
  }
}
