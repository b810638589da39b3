package dev.gatehouse.ratelimit;

import dev.gatehouse.ratelimit.config.RateLimitConfig;
import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.MemoryStore;
import dev.gatehouse.ratelimit.store.RateLimitStore;
import dev.gatehouse.ratelimit.store.RedisSettings;
import dev.gatehouse.ratelimit.store.RedisStore;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts the real service for each test, with a fresh store on a {@link TestClock}, and a real gRPC
 * client over loopback. Suites extend it and say which store they run against, so one behaviour
 * suite runs against both.
 */
public abstract class ServiceHarness {
  /** The stores a suite can run against. */
  public enum Store {
    MEMORY,
    REDIS
  }

  protected static Vertx vertx;
  protected final TestClock clock = new TestClock();
  protected final StaticConfigSource source = new StaticConfigSource();
  protected RateLimitServer server;
  protected RlsClient client;
  private MemoryStore memory;

  /** Which store this run of the suite uses. */
  protected abstract Store store();

  /**
   * The limiter settings of the service under test; suites may override. The store budget is a
   * second, not 15 ms: these suites test decisions, on two cores shared with other builds.
   */
  protected LimiterSettings settings() {
    return new LimiterSettings(
        FailureMode.ERROR, Duration.ofSeconds(1), false, 100_000, 5, Duration.ofMillis(500));
  }

  /** How the Redis suites reach Redis; suites may add a key prefix. */
  protected RedisSettings redisSettings() {
    return RedisSettings.standalone(SharedRedis.server().uri());
  }

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void startService() throws Exception {
    RateLimitStore backing;
    if (store() == Store.MEMORY) {
      backing = memory = new MemoryStore(clock::micros);
    } else {
      SharedRedis.command(vertx, Command.FLUSHALL);
      backing = new RedisStore(vertx, redisSettings(), clock::micros);
    }
    RateLimitServerOptions options =
        new RateLimitServerOptions(
            Path.of("unused"),
            "default",
            null,
            "127.0.0.1",
            0,
            null,
            null,
            settings(),
            2, // two listeners sharing the port, as in production
            Duration.ofMillis(100));
    server =
        RateLimitServer.start(vertx, options, backing, source, clock::nanos)
            .await(10, TimeUnit.SECONDS);
    client = new RlsClient(vertx, server.grpcPort());
  }

  @AfterEach
  void stopService() throws Exception {
    client.close();
    server.close().await(10, TimeUnit.SECONDS);
  }

  protected void serve(RateLimitConfig config) {
    source.push(config);
  }

  protected RateLimitResponse check(RateLimitRequest request) {
    return client.check(request);
  }

  /** How many counters the store holds right now. */
  protected long storedCounters() {
    return store() == Store.MEMORY
        ? memory.size()
        : Long.parseLong(SharedRedis.command(vertx, Command.DBSIZE));
  }

  /** How many times the store answered a request (a call the local cache saved is not one). */
  protected long storeCalls() {
    return server.metrics().registry().get("gatehouse_ratelimit_store_latency").timer().count();
  }
}
