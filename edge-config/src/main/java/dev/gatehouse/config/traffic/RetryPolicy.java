package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.YamlName;
import java.time.Duration;

/**
 * When and how often Envoy retries a request upstream.
 *
 * @param perTryTimeout a duration such as "1.5s"; absent: the route's timeout applies per try
 */
@SnakeCase
public record RetryPolicy(
    RetryOn retryOn, @Range(min = 0, max = 100) Integer numRetries, Duration perTryTimeout) {

  /** The conditions Envoy's {@code retry_on} understands and Emissary documents. */
  public enum RetryOn {
    @YamlName("5xx")
    FIVE_XX,
    @YamlName("gateway-error")
    GATEWAY_ERROR,
    @YamlName("connect-failure")
    CONNECT_FAILURE,
    @YamlName("retriable-4xx")
    RETRIABLE_4XX,
    @YamlName("refused-stream")
    REFUSED_STREAM,
    @YamlName("retriable-status-codes")
    RETRIABLE_STATUS_CODES,
    @YamlName("reset")
    RESET
  }

  public RetryPolicy {
    if (perTryTimeout != null && perTryTimeout.isNegative()) {
      throw new dev.gatehouse.config.yaml.FieldException(
          "per_try_timeout", "\"" + perTryTimeout + "\" (expected: >= 0)");
    }
  }
}
