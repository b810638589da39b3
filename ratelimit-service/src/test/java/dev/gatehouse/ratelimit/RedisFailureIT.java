package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import dev.gatehouse.ratelimit.store.RedisStore;
import dev.gatehouse.testkit.RedisExtension;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failure drills on a real Redis that the tests stop, kill, pause and restart: every answer comes
 * within the budget, in the configured failure mode, and the service recovers when Redis does.
 */
class RedisFailureIT {
  @RegisterExtension static final RedisExtension redis = new RedisExtension();

  private static final Duration BUDGET = Duration.ofMillis(15);

  /**
   * The budget plus the client's own loopback round trip, on two cores that other builds keep busy:
   * not the budget itself, but far from a hang (a dead Redis without a budget waits for the 1 s
   * connect timeout, a paused one forever).
   */
  private static final long ANSWER_WITHIN_MS = 1000;

  private static Vertx vertx;
  private RateLimitServer server;
  private RlsClient client;

  private static final RateLimitRequest REQUEST = request("edge", descriptor("user", "alice"));

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void redisRuns() {
    redis.start();
  }

  @AfterEach
  void stopService() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void startService(FailureMode mode) throws Exception {
    StaticConfigSource source = new StaticConfigSource();
    LimiterSettings settings =
        new LimiterSettings(mode, BUDGET, false, 100_000, 3, Duration.ofMillis(100));
    RateLimitServerOptions options =
        new RateLimitServerOptions(
            Path.of("unused"), "default", null, "127.0.0.1", 0, null, null, settings, 1, null);
    RedisStore store = new RedisStore(vertx, RedisSettings.standalone(redis.uri()), null);
    server =
        RateLimitServer.start(vertx, options, store, source, System::nanoTime)
            .await(10, TimeUnit.SECONDS);
    source.push(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 100}
            """));
    client = new RlsClient(vertx, server.grpcPort());
  }

  /** Calls and checks the answer came within the bound. */
  private RlsClient.Outcome timedCall() {
    long started = System.nanoTime();
    RlsClient.Outcome outcome = client.call(REQUEST);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(Duration.ofMillis(ANSWER_WITHIN_MS));
    return outcome;
  }

  private static void awaitServing(RlsClient client) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(client.call(REQUEST).status()).isEqualTo(GrpcStatus.OK));
  }

  @Test
  void errorModeAnswersUnavailableWhileRedisIsDownAndRecoversWhenItIsBack() throws Exception {
    startService(FailureMode.ERROR);
    awaitServing(client); // the first call may miss 15 ms while the JVM warms up

    redis.kill();
    for (int i = 0; i < 6; i++) {
      RlsClient.Outcome outcome = timedCall();
      assertThat(outcome.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(outcome.message()).startsWith("redis");
    }
    // Three failures in a row opened the breaker: later calls do not wait on Redis at all.
    assertThat(server.limiter().storeBreakerOpen()).isTrue();
    assertThat(server.metrics().scrape())
        .containsPattern("gatehouse_ratelimit_store_breaker_rejections_total [1-9]");

    redis.start();
    awaitServing(client);
    assertThat(server.limiter().storeBreakerOpen()).isFalse();
  }

  @Test
  void allowModeAnswersOkWithTheFullQuotaWhileRedisIsDown() throws Exception {
    startService(FailureMode.ALLOW);
    awaitServing(client);
    redis.stop();

    RlsClient.Outcome outcome = timedCall();
    assertThat(outcome.response().getOverallCode()).isEqualTo(Code.OK);
    assertThat(outcome.response().getStatuses(0).getLimitRemaining()).isEqualTo(100);
    assertThat(outcome.response().getStatuses(0).getCurrentLimit().getRequestsPerUnit())
        .isEqualTo(100);
  }

  @Test
  void denyModeAnswersOverLimitWhileRedisIsDown() throws Exception {
    startService(FailureMode.DENY);
    awaitServing(client);
    redis.stop();

    RlsClient.Outcome outcome = timedCall();
    assertThat(outcome.response().getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(outcome.response().getStatuses(0).getLimitRemaining()).isZero();
  }

  @Test
  void pausedRedisIsAnsweredForWithinTheBudget() throws Exception {
    startService(FailureMode.ALLOW);
    awaitServing(client); // connected and the script loaded
    Redis admin = Redis.createClient(vertx, redis.uri());
    try {
      admin
          .send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(1000).arg("ALL"))
          .await(5, TimeUnit.SECONDS);
      RlsClient.Outcome outcome = timedCall();
      assertThat(outcome.response().getOverallCode()).isEqualTo(Code.OK);
      assertThat(server.metrics().scrape())
          .containsPattern("gatehouse_ratelimit_store_timeouts_total [1-9]");
    } finally {
      admin.close();
    }
  }

  @Test
  void hungRedisOpensTheBreakerOnceItHasAnsweredNothingForAProbeInterval() throws Exception {
    startService(FailureMode.ALLOW);
    awaitServing(client);
    Redis admin = Redis.createClient(vertx, redis.uri());
    try {
      admin
          .send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(3000).arg("ALL"))
          .await(5, TimeUnit.SECONDS);
      // Every call misses the budget; once nothing was answered for 100 ms they count.
      await()
          .atMost(Duration.ofMillis(2500))
          .until(
              () -> {
                timedCall();
                return server.limiter().storeBreakerOpen();
              });
      // The pause ends, a probe gets its PONG, the breaker closes.
      await().atMost(Duration.ofSeconds(5)).until(() -> !server.limiter().storeBreakerOpen());
    } finally {
      admin.close();
    }
  }

  @Test
  void redisDownAtStartupDoesNotStopTheServiceWhichServesOnceRedisAppears() throws Exception {
    redis.stop();
    startService(FailureMode.DENY);

    assertThat(timedCall().response().getOverallCode()).isEqualTo(Code.OVER_LIMIT);

    redis.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(client.check(REQUEST).getOverallCode()).isEqualTo(Code.OK));
    assertThat(client.check(REQUEST).getStatuses(0).getLimitRemaining()).isLessThan(100);
  }
}
