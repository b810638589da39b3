package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ratelimit.store.RedisSettings;
import io.vertx.redis.client.Command;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counters in Redis are named as envoyproxy/ratelimit names them ({@code prefix + domain + _ +
 * key_value_... + windowStart}), so a switch between the two keeps its counts; Gatehouse's extra
 * limits get a tag of their own.
 */
class RedisKeysIT extends ServiceHarness {

  @Override
  protected Store store() {
    return Store.REDIS;
  }

  @Override
  protected RedisSettings redisSettings() {
    return new RedisSettings(
        List.of(URI.create(SharedRedis.server().uri())),
        RedisSettings.Mode.STANDALONE,
        null,
        "rl_",
        false,
        2);
  }

  @BeforeEach
  void serveConfig() {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: remote_address
                descriptors:
                  - key: path
                    rate_limit: {unit: minute, requests_per_unit: 5}
                    rate_limits:
                      - {unit: hour, requests_per_unit: 100}
                      - {unit: minute, requests_per_unit: 10, algorithm: token_bucket}
                      - {unit: minute, requests_per_unit: 9, algorithm: sliding_window}
            """));
  }

  @Test
  void fixedWindowCounterHasEnvoyproxysNameAndExpiresWithItsWindow() {
    clock.at(15);
    check(request("edge", descriptor("remote_address", "10.0.0.1", "path", "/a")));

    String key = "rl_edge_remote_address_10.0.0.1_path_/a_" + TestClock.START_SECONDS;
    assertThat(SharedRedis.command(vertx, Command.GET, key)).isEqualTo("1");
    long ttl = Long.parseLong(SharedRedis.command(vertx, Command.PTTL, key));
    assertThat(ttl).isBetween(1L, 60_000L);
  }

  @Test
  void furtherLimitsOfADescriptorCountUnderTaggedNames() {
    clock.at(15);
    check(request("edge", descriptor("remote_address", "10.0.0.1", "path", "/a")));

    long hourStart = TestClock.START_SECONDS / 3600 * 3600;
    String base = "rl_edge_remote_address_10.0.0.1_path_/a_";
    assertThat(SharedRedis.command(vertx, Command.GET, base + "fw3600_" + hourStart))
        .isEqualTo("1");
    assertThat(SharedRedis.command(vertx, Command.GET, base + "sw60_" + TestClock.START_SECONDS))
        .isEqualTo("1");
    // The token bucket holds its theoretical arrival time: now + 6 s, in microseconds.
    assertThat(SharedRedis.command(vertx, Command.GET, base + "tb60_10_"))
        .isEqualTo(Long.toString(clock.micros() + 6_000_000));
    assertThat(SharedRedis.command(vertx, Command.DBSIZE)).isEqualTo("4");
  }
}
