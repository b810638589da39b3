package dev.gatehouse.authz.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.TestJwks;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWKS caching against a real endpoint, with a clock the test moves. */
class JwksCacheIT {
  private Vertx vertx;
  private TestJwks jwks;
  private WebClient client;
  private MutableClock clock;
  private JwksCache cache;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    jwks = new TestJwks(vertx);
    client = WebClient.create(vertx);
    clock = new MutableClock();
    cache =
        new JwksCache(
            client,
            jwks.uri(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            clock);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private JwksCache.Snapshot current() throws Exception {
    return cache.current().await(5, TimeUnit.SECONDS);
  }

  @Test
  void freshKeysAreServedFromTheCache() throws Exception {
    JwksCache.Snapshot first = current();
    clock.advance(Duration.ofMinutes(4));

    assertThat(current()).isSameAs(first);
    assertThat(jwks.fetches()).isEqualTo(1);
  }

  @Test
  void unknownKidRefetchesAtMostOncePerInterval() throws Exception {
    JwksCache.Snapshot first = current();
    clock.advance(Duration.ofSeconds(11));

    JwksCache.Snapshot second = cache.afterUnknownKid(first).await(5, TimeUnit.SECONDS);
    JwksCache.Snapshot third = cache.afterUnknownKid(second).await(5, TimeUnit.SECONDS);

    assertThat(jwks.fetches()).isEqualTo(2);
    assertThat(third).isSameAs(second);
  }

  @Test
  void staleKeysAreServedWhileTheEndpointIsDownUntilMaxStale() throws Exception {
    JwksCache.Snapshot first = current();
    jwks.down(true);
    clock.advance(Duration.ofMinutes(20));

    assertThat(current()).isSameAs(first);

    clock.advance(Duration.ofMinutes(20));
    assertThat(cache.current().otherwise((JwksCache.Snapshot) null).await(5, TimeUnit.SECONDS))
        .isNull();
  }

  @Test
  void symmetricKeysInTheSetAreIgnored() throws Exception {
    assertThat(current().keys().getKeys())
        .allSatisfy(k -> assertThat(k.getKeyType().getValue()).isIn("RSA", "EC"));
  }

  /** A clock that only moves when told. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
