package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;

/** Limits on what one cluster may have in flight, per priority, with Envoy's defaults. */
@SnakeCase
public record CircuitBreaker(
    @Default("default") Priority priority,
    @Default("1024") @Range(min = 0) Integer maxConnections,
    @Default("1024") @Range(min = 0) Integer maxPendingRequests,
    @Default("1024") @Range(min = 0) Integer maxRequests,
    @Default("3") @Range(min = 0) Integer maxRetries) {

  /** Envoy's routing priorities. */
  public enum Priority {
    DEFAULT,
    HIGH
  }
}
