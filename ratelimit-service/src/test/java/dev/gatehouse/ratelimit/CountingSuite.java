package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How limits count, over real gRPC on a clock the test moves: each algorithm's exact admit and deny
 * sequence, window boundaries, several limits on one descriptor, denials that consume nothing, and
 * the local over-limit cache.
 */
abstract class CountingSuite extends ServiceHarness {

  static final String CONFIG =
      """
      domain: count
      descriptors:
        - key: fixed
          rate_limit: {unit: minute, requests_per_unit: 3}
        - key: sliding
          rate_limit: {unit: minute, requests_per_unit: 10, algorithm: sliding_window}
        - key: bucket
          rate_limit: {unit: minute, requests_per_unit: 10, algorithm: token_bucket, burst: 3}
        - key: five_minutes
          rate_limit: {unit: minute, unit_multiplier: 5, requests_per_unit: 2}
        - key: layered
          rate_limit: {unit: second, requests_per_unit: 2, name: per_second}
          rate_limits:
            - {unit: minute, requests_per_unit: 3, name: per_minute}
        - key: small
          rate_limit: {unit: minute, requests_per_unit: 1}
        - key: large
          rate_limit: {unit: minute, requests_per_unit: 5}
      """;

  @BeforeEach
  void serveConfig() {
    serve(Configs.envoy(CONFIG));
  }

  /** "OK 2" or "OVER_LIMIT 0": each answer's code and remaining quota. */
  private List<String> run(RateLimitRequest request, int times) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      DescriptorStatus status = check(request).getStatuses(0);
      out.add(status.getCode() + " " + status.getLimitRemaining());
    }
    return out;
  }

  private static RateLimitRequest one(String key) {
    return request("count", descriptor(key, "x"));
  }

  @Test
  void fixedWindowAdmitsTheLimitThenDeniesUntilTheWindowBoundary() {
    clock.at(10);
    assertThat(run(one("fixed"), 4)).containsExactly("OK 2", "OK 1", "OK 0", "OVER_LIMIT 0");
    assertThat(check(one("fixed")).getStatuses(0).getDurationUntilReset().getSeconds())
        .isEqualTo(50);

    clock.at(59.999);
    assertThat(run(one("fixed"), 1)).containsExactly("OVER_LIMIT 0");
    clock.at(60);
    assertThat(run(one("fixed"), 4)).containsExactly("OK 2", "OK 1", "OK 0", "OVER_LIMIT 0");
  }

  @Test
  void slidingWindowWeighsThePreviousWindowByItsOverlap() {
    clock.at(30);
    List<String> first = run(one("sliding"), 11);
    assertThat(first.subList(0, 10))
        .containsExactly(
            "OK 9", "OK 8", "OK 7", "OK 6", "OK 5", "OK 4", "OK 3", "OK 2", "OK 1", "OK 0");
    assertThat(first.get(10)).isEqualTo("OVER_LIMIT 0");

    // 15 s into the next window, 45/60 of the previous 10 still count: 7.5.
    clock.at(75);
    assertThat(run(one("sliding"), 3)).containsExactly("OK 1", "OK 0", "OVER_LIMIT 0");
    // Halfway: 5 from before plus the 2 counted now.
    clock.at(90);
    assertThat(run(one("sliding"), 1)).containsExactly("OK 2");
  }

  @Test
  void tokenBucketLetsTheBurstThroughThenRefillsOneTokenPerInterval() {
    clock.at(0);
    assertThat(run(one("bucket"), 4)).containsExactly("OK 2", "OK 1", "OK 0", "OVER_LIMIT 0");
    DescriptorStatus denied = check(one("bucket")).getStatuses(0);
    assertThat(denied.getDurationUntilReset().getSeconds()).isEqualTo(6); // the next token

    clock.at(6); // 10 per minute: a token every 6 s
    assertThat(run(one("bucket"), 2)).containsExactly("OK 0", "OVER_LIMIT 0");
    clock.at(30);
    assertThat(run(one("bucket"), 4)).containsExactly("OK 2", "OK 1", "OK 0", "OVER_LIMIT 0");
  }

  @Test
  void unitMultiplierMakesAWindowOfSeveralUnits() {
    clock.at(10);
    assertThat(run(one("five_minutes"), 3)).containsExactly("OK 1", "OK 0", "OVER_LIMIT 0");
    clock.at(299);
    DescriptorStatus late = check(one("five_minutes")).getStatuses(0);
    assertThat(late.getCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(late.getDurationUntilReset().getSeconds()).isEqualTo(1);
    clock.at(300);
    assertThat(run(one("five_minutes"), 1)).containsExactly("OK 1");
  }

  @Test
  void tightestOfSeveralLimitsDecidesAndADenialByOneDoesNotCountAgainstTheOther() {
    clock.at(0);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      DescriptorStatus status = check(one("layered")).getStatuses(0);
      names.add(
          status.getCode()
              + " "
              + status.getCurrentLimit().getName()
              + " "
              + status.getLimitRemaining());
    }
    assertThat(names)
        .containsExactly("OK per_second 1", "OK per_second 0", "OVER_LIMIT per_second 0");

    // The denied third request did not count per minute: one is left there.
    clock.at(1);
    DescriptorStatus next = check(one("layered")).getStatuses(0);
    assertThat(next.getCurrentLimit().getName()).isEqualTo("per_minute");
    assertThat(next.getLimitRemaining()).isZero();
    assertThat(next.getCode()).isEqualTo(Code.OK);
    clock.at(2);
    DescriptorStatus over = check(one("layered")).getStatuses(0);
    assertThat(over.getCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(over.getCurrentLimit().getName()).isEqualTo("per_minute");
  }

  @Test
  void requestDeniedByOneDescriptorConsumesNoOtherDescriptorsQuota() {
    clock.at(0);
    RateLimitRequest both = request("count", descriptor("small", "x"), descriptor("large", "x"));
    RateLimitResponse first = check(both);
    assertThat(first.getOverallCode()).isEqualTo(Code.OK);
    assertThat(first.getStatuses(1).getLimitRemaining()).isEqualTo(4);

    for (int i = 0; i < 3; i++) {
      RateLimitResponse denied = check(both);
      assertThat(denied.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
      assertThat(denied.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
      assertThat(denied.getStatuses(1).getCode()).isEqualTo(Code.OK);
    }
    assertThat(check(one("large")).getStatuses(0).getLimitRemaining()).isEqualTo(3);
  }

  @Test
  void keyKnownToBeOverItsLimitIsDeniedWithoutAStoreCallUntilItsWindowEnds() {
    clock.at(10);
    run(one("small"), 2);
    long calls = storeCalls();

    assertThat(run(one("small"), 5)).containsOnly("OVER_LIMIT 0");
    assertThat(storeCalls()).isEqualTo(calls);
    assertThat(check(one("small")).getStatuses(0).getDurationUntilReset().getSeconds())
        .isEqualTo(50);

    clock.advance(Duration.ofSeconds(50));
    assertThat(run(one("small"), 1)).containsExactly("OK 0");
    assertThat(storeCalls()).isEqualTo(calls + 1);
  }
}
