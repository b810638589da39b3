package dev.gatehouse.ratelimit.limiter;

import java.time.Duration;
import java.util.Objects;

/**
 * How the limiter behaves around its store.
 *
 * @param onStoreError the answer when the store fails or misses the budget
 * @param storeBudget how long a request may wait for the store (Envoy gives up after 20 ms)
 * @param responseHeaders add RateLimit-Limit, -Remaining and -Reset to every answer
 * @param overLimitCacheSize keys remembered as over their limit; 0 turns the cache off
 * @param breakerFailures store failures in a row that open the breaker
 * @param probeInterval how often an open breaker pings the store
 */
public record LimiterSettings(
    FailureMode onStoreError,
    Duration storeBudget,
    boolean responseHeaders,
    int overLimitCacheSize,
    int breakerFailures,
    Duration probeInterval) {

  public static final LimiterSettings DEFAULTS =
      new LimiterSettings(
          FailureMode.ERROR, Duration.ofMillis(15), false, 100_000, 5, Duration.ofMillis(500));

  public LimiterSettings {
    Objects.requireNonNull(onStoreError, "onStoreError");
    if (storeBudget.isNegative() || storeBudget.isZero()) {
      throw new IllegalArgumentException("store-timeout: " + storeBudget + " (expected: > 0)");
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException(
          "breaker-failures: " + breakerFailures + " (expected: >= 1)");
    }
    if (probeInterval.isNegative() || probeInterval.isZero()) {
      throw new IllegalArgumentException("probe-interval: " + probeInterval + " (expected: > 0)");
    }
  }
}
