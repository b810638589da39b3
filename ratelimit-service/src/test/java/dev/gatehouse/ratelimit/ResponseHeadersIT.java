package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The optional RateLimit-* headers, taken from the descriptor closest to its limit. */
class ResponseHeadersIT extends ServiceHarness {

  @Override
  protected Store store() {
    return Store.MEMORY;
  }

  @Override
  protected LimiterSettings settings() {
    return new LimiterSettings(
        FailureMode.ERROR, Duration.ofSeconds(1), true, 100_000, 5, Duration.ofMillis(500));
  }

  @BeforeEach
  void serveConfig() {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: minute, requests_per_unit: 10}
              - key: ip
                rate_limit: {unit: hour, requests_per_unit: 3}
            """));
  }

  private static List<String> headers(RateLimitResponse response) {
    return response.getResponseHeadersToAddList().stream()
        .map((HeaderValue h) -> h.getKey() + ": " + h.getValue())
        .toList();
  }

  @Test
  void headersComeFromTheDescriptorClosestToItsLimit() {
    clock.at(30.5);
    RateLimitResponse response =
        check(request("edge", descriptor("user", "alice"), descriptor("ip", "10.0.0.1")));

    // user has 9 left, ip 2: ip is closer. The clock is 930.5 s into the hour: 2669.5 s left.
    assertThat(headers(response))
        .containsExactly("RateLimit-Limit: 3", "RateLimit-Remaining: 2", "RateLimit-Reset: 2670");
  }

  @Test
  void noHeadersWhenNoDescriptorIsLimited() {
    assertThat(headers(check(request("edge", descriptor("other", "x"))))).isEmpty();
  }
}
