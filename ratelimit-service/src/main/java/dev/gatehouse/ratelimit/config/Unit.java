package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.yaml.IgnoreCase;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;

/** The unit of a limit's window, as envoyproxy/ratelimit counts it (a month is 30 days). */
@IgnoreCase
public enum Unit {
  SECOND(1),
  MINUTE(60),
  HOUR(3_600),
  DAY(86_400),
  WEEK(604_800),
  MONTH(2_592_000),
  YEAR(31_536_000);

  private final long seconds;

  Unit(long seconds) {
    this.seconds = seconds;
  }

  public long seconds() {
    return seconds;
  }

  /** The response's unit for this one. */
  public RateLimitResponse.RateLimit.Unit toProto() {
    return RateLimitResponse.RateLimit.Unit.valueOf(name());
  }
}
