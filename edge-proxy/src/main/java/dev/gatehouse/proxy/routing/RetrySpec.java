package dev.gatehouse.proxy.routing;

import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's retry policy as Envoy reads it: the conditions ({@code retry_on}), how many retries
 * (default 1), the per-try timeout, and fully jittered exponential backoff (base 25 ms, cap 10x
 * base, unless configured).
 */
public record RetrySpec(
    Set<Condition> on,
    Set<Integer> statusCodes,
    int numRetries,
    Duration perTryTimeout,
    Duration baseInterval,
    Duration maxInterval) {

  public static final RetrySpec NONE =
      new RetrySpec(
          Set.of(), Set.of(), 0, Duration.ZERO, Duration.ofMillis(25), Duration.ofMillis(250));

  /** The {@code retry_on} conditions edge-proxy implements. */
  public enum Condition {
    FIVE_XX("5xx"),
    GATEWAY_ERROR("gateway-error"),
    CONNECT_FAILURE("connect-failure"),
    RETRIABLE_4XX("retriable-4xx"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    RESET("reset");

    private final String name;

    Condition(String name) {
      this.name = name;
    }
  }

  public static RetrySpec compile(RetryPolicy policy, String where) {
    Set<Condition> on = EnumSet.noneOf(Condition.class);
    for (String part : policy.getRetryOn().split(",")) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      Condition condition = null;
      for (Condition candidate : Condition.values()) {
        if (candidate.name.equals(name)) {
          condition = candidate;
        }
      }
      if (condition == null) {
        throw new XdsException(
            where + ".retry_policy.retry_on: \"" + name + "\" is not supported by edge-proxy");
      }
      on.add(condition);
    }
    Duration base =
        policy.getRetryBackOff().hasBaseInterval()
            ? toDuration(policy.getRetryBackOff().getBaseInterval())
            : Duration.ofMillis(25);
    Duration max =
        policy.getRetryBackOff().hasMaxInterval()
            ? toDuration(policy.getRetryBackOff().getMaxInterval())
            : base.multipliedBy(10);
    return new RetrySpec(
        Set.copyOf(on),
        Set.copyOf(policy.getRetriableStatusCodesList()),
        policy.hasNumRetries() ? policy.getNumRetries().getValue() : 1,
        policy.hasPerTryTimeout() ? toDuration(policy.getPerTryTimeout()) : Duration.ZERO,
        base,
        max);
  }

  private static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** Whether an answered attempt with this status should be retried. */
  public boolean retriesStatus(int status) {
    return (status >= 500 && on.contains(Condition.FIVE_XX))
        || ((status == 502 || status == 503 || status == 504)
            && on.contains(Condition.GATEWAY_ERROR))
        || (status == 409 && on.contains(Condition.RETRIABLE_4XX))
        || (statusCodes.contains(status) && on.contains(Condition.RETRIABLE_STATUS_CODES));
  }

  /** Whether a failed attempt (no response) should be retried. */
  public boolean retriesFailure(boolean connectFailure, boolean refusedStream) {
    if (connectFailure) {
      return on.contains(Condition.CONNECT_FAILURE)
          || on.contains(Condition.FIVE_XX)
          || on.contains(Condition.GATEWAY_ERROR);
    }
    return on.contains(Condition.RESET)
        || on.contains(Condition.FIVE_XX)
        || (refusedStream && on.contains(Condition.REFUSED_STREAM));
  }

  /** Envoy's fully jittered backoff before retry number {@code retry} (1-based). */
  public Duration backoff(int retry) {
    long ceiling =
        Math.min(
            maxInterval.toMillis(), baseInterval.toMillis() * ((1L << Math.min(retry, 20)) - 1));
    return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
