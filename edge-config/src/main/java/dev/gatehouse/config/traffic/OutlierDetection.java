package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.YamlName;
import java.time.Duration;

/**
 * Passive health: eject an endpoint after consecutive failures, for longer each time it happens.
 * Field names and defaults are Envoy's {@code OutlierDetection}.
 *
 * @param consecutiveGatewayFailure absent: not used
 */
@SnakeCase
public record OutlierDetection(
    @Default("10s") Duration interval,
    @YamlName("consecutive_5xx") @Default("5") @Range(min = 1) Integer consecutive5xx,
    @Range(min = 1) Integer consecutiveGatewayFailure,
    @Default("30s") Duration baseEjectionTime,
    @Default("300s") Duration maxEjectionTime,
    @Default("10") @Range(min = 0, max = 100) Integer maxEjectionPercent) {

  public OutlierDetection {
    positive("interval", interval);
    positive("base_ejection_time", baseEjectionTime);
    positive("max_ejection_time", maxEjectionTime);
  }

  static void positive(String field, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new dev.gatehouse.config.yaml.FieldException(
          field, "\"" + dev.gatehouse.config.yaml.GoDuration.format(value) + "\" (expected: > 0)");
    }
  }
}
