package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static dev.gatehouse.ratelimit.Rls.withHits;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.type.v3.RateLimitUnit;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * envoyproxy/ratelimit's request semantics over real gRPC: matching per level (exact value, then
 * wildcard, then key only), limits only at the request's last entry, unknown domains, unlimited,
 * shadow mode, replaces, hits_addend and the descriptor's own limit.
 */
abstract class MatchingSuite extends ServiceHarness {

  static final String CONFIG =
      """
      domain: edge
      descriptors:
        - key: remote_address
          rate_limit: {unit: minute, requests_per_unit: 5, name: per_ip}
        - key: remote_address
          value: 10.0.0.1
          rate_limit: {unit: minute, requests_per_unit: 1, name: vip}
        - key: path
          value: /api*
          rate_limit: {unit: minute, requests_per_unit: 2, name: api}
        - key: path
          rate_limit: {unit: minute, requests_per_unit: 3}
        - key: client
          value: internal
          rate_limit: {unlimited: true}
        - key: tenant
          descriptors:
            - key: plan
              value: free
              rate_limit: {unit: second, requests_per_unit: 1}
        - key: legacy
          shadow_mode: true
          rate_limit: {unit: minute, requests_per_unit: 1, name: legacy}
        - key: user
          rate_limit: {unit: minute, requests_per_unit: 1, name: per_user}
        - key: premium
          rate_limit:
            unit: minute
            requests_per_unit: 100
            name: premium
            replaces: [{name: per_user}]
      """;

  @BeforeEach
  void serveConfig() {
    serve(Configs.envoy(CONFIG));
  }

  private DescriptorStatus only(RateLimitRequest request) {
    RateLimitResponse response = check(request);
    assertThat(response.getStatusesCount()).isEqualTo(1);
    return response.getStatuses(0);
  }

  @Test
  void exactValueWinsOverKeyOnly() {
    assertThat(
            only(request("edge", descriptor("remote_address", "10.0.0.1")))
                .getCurrentLimit()
                .getName())
        .isEqualTo("vip");
    assertThat(
            only(request("edge", descriptor("remote_address", "10.0.0.2")))
                .getCurrentLimit()
                .getName())
        .isEqualTo("per_ip");
  }

  @Test
  void wildcardValueMatchesByPrefixBeforeKeyOnly() {
    assertThat(only(request("edge", descriptor("path", "/api/orders"))).getCurrentLimit().getName())
        .isEqualTo("api");
    DescriptorStatus other = only(request("edge", descriptor("path", "/static/app.js")));
    assertThat(other.getCurrentLimit().getRequestsPerUnit()).isEqualTo(3);
    assertThat(other.getCurrentLimit().getName()).isEmpty();
  }

  @Test
  void nestedLimitAppliesOnlyAtTheRequestsLastEntry() {
    DescriptorStatus nested = only(request("edge", descriptor("tenant", "acme", "plan", "free")));
    assertThat(nested.getCurrentLimit().getUnit())
        .isEqualTo(RateLimitResponse.RateLimit.Unit.SECOND);

    // The tenant level has no limit of its own; deeper than the tree, or a plan it lacks: none.
    assertThat(only(request("edge", descriptor("tenant", "acme"))))
        .isEqualTo(DescriptorStatus.newBuilder().setCode(Code.OK).build());
    assertThat(only(request("edge", descriptor("tenant", "acme", "plan", "pro"))).hasCurrentLimit())
        .isFalse();
    assertThat(
            only(request("edge", descriptor("remote_address", "10.0.0.9", "path", "/x")))
                .hasCurrentLimit())
        .isFalse();
  }

  @Test
  void unknownDomainAndUnmatchedDescriptorAnswerOkWithoutLimit() {
    RateLimitResponse unknown = check(request("nobody", descriptor("remote_address", "10.0.0.1")));
    assertThat(unknown.getOverallCode()).isEqualTo(Code.OK);
    assertThat(unknown.getStatuses(0))
        .isEqualTo(DescriptorStatus.newBuilder().setCode(Code.OK).build());

    assertThat(only(request("edge", descriptor("header", "x"))).hasCurrentLimit()).isFalse();
    assertThat(storedCounters()).isZero();
  }

  @Test
  void unlimitedAnswersOkWithMaxRemainingAndNeverTouchesTheStore() {
    for (int i = 0; i < 3; i++) {
      DescriptorStatus status = only(request("edge", descriptor("client", "internal")));
      assertThat(status.getCode()).isEqualTo(Code.OK);
      assertThat(Integer.toUnsignedLong(status.getLimitRemaining())).isEqualTo(4_294_967_295L);
      assertThat(status.hasCurrentLimit()).isFalse();
    }
    assertThat(storedCounters()).isZero();
    assertThat(storeCalls()).isZero();
  }

  @Test
  void overLimitWhenTheCountAfterTheIncrementExceedsTheLimitWithEveryFieldFilled() {
    clock.at(10);
    RateLimitRequest request = request("edge", descriptor("remote_address", "10.0.0.7"));
    int[] remaining = new int[4];
    Code[] codes = new Code[4];
    for (int i = 0; i < 4; i++) {
      RateLimitResponse response = check(request);
      codes[i] = response.getOverallCode();
      remaining[i] = response.getStatuses(0).getLimitRemaining();
    }
    assertThat(codes).containsExactly(Code.OK, Code.OK, Code.OK, Code.OK);
    assertThat(remaining).containsExactly(4, 3, 2, 1);
    RateLimitResponse fifth = check(request);
    RateLimitResponse sixth = check(request);
    assertThat(fifth.getOverallCode()).isEqualTo(Code.OK);
    assertThat(sixth.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(sixth.getStatuses(0))
        .isEqualTo(
            DescriptorStatus.newBuilder()
                .setCode(Code.OVER_LIMIT)
                .setCurrentLimit(
                    RateLimitResponse.RateLimit.newBuilder()
                        .setName("per_ip")
                        .setRequestsPerUnit(5)
                        .setUnit(RateLimitResponse.RateLimit.Unit.MINUTE))
                .setLimitRemaining(0)
                .setDurationUntilReset(Duration.newBuilder().setSeconds(50))
                .build());
  }

  @Test
  void shadowModeCountsAndReportsButNeverDenies() {
    RateLimitRequest request = request("edge", descriptor("legacy", "x"));
    check(request);
    RateLimitResponse over = check(request);
    assertThat(over.getOverallCode()).isEqualTo(Code.OK);
    assertThat(over.getStatuses(0).getCode()).isEqualTo(Code.OK);
    assertThat(over.getStatuses(0).getCurrentLimit().getName()).isEqualTo("legacy");
    assertThat(server.metrics().scrape())
        .contains("gatehouse_ratelimit_shadow_mode_total{rule=\"edge.legacy\"} 1.0");
  }

  @Test
  void limitNamedInReplacesDoesNotApplyWhenTheReplacingLimitMatches() {
    RateLimitRequest both = request("edge", descriptor("user", "u1"), descriptor("premium", "yes"));
    for (int i = 0; i < 3; i++) {
      RateLimitResponse response = check(both);
      assertThat(response.getOverallCode()).isEqualTo(Code.OK);
      assertThat(response.getStatuses(0).hasCurrentLimit()).isFalse();
      assertThat(response.getStatuses(1).getCurrentLimit().getName()).isEqualTo("premium");
    }
    // Without the replacing descriptor the per-user limit applies again.
    RateLimitRequest alone = request("edge", descriptor("user", "u1"));
    assertThat(check(alone).getOverallCode()).isEqualTo(Code.OK);
    assertThat(check(alone).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
  }

  @Test
  void descriptorHitsAddendWinsOverTheRequestsAndZeroOnlyChecks() {
    RateLimitDescriptor ip = descriptor("remote_address", "10.0.0.8");
    RateLimitRequest requestLevel = request("edge", ip).toBuilder().setHitsAddend(2).build();
    assertThat(check(requestLevel).getStatuses(0).getLimitRemaining()).isEqualTo(3);

    RateLimitRequest descriptorLevel =
        request("edge", withHits(ip, 1)).toBuilder().setHitsAddend(4).build();
    assertThat(check(descriptorLevel).getStatuses(0).getLimitRemaining()).isEqualTo(2);

    RateLimitRequest checkOnly = request("edge", withHits(ip, 0));
    assertThat(check(checkOnly).getStatuses(0).getLimitRemaining()).isEqualTo(2);
    assertThat(check(checkOnly).getStatuses(0).getLimitRemaining()).isEqualTo(2);

    RateLimitRequest tooMany = request("edge", withHits(ip, 3));
    assertThat(check(tooMany).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
  }

  @Test
  void descriptorsOwnLimitOverridesTheConfigurationInAKnownDomain() {
    RateLimitDescriptor own =
        descriptor("remote_address", "10.0.0.1").toBuilder()
            .setLimit(
                RateLimitDescriptor.RateLimitOverride.newBuilder()
                    .setRequestsPerUnit(2)
                    .setUnit(RateLimitUnit.HOUR))
            .build();
    DescriptorStatus first = only(request("edge", own));
    assertThat(first.getCurrentLimit().getRequestsPerUnit()).isEqualTo(2);
    assertThat(first.getCurrentLimit().getUnit()).isEqualTo(RateLimitResponse.RateLimit.Unit.HOUR);
    assertThat(first.getLimitRemaining()).isEqualTo(1);
    assertThat(only(request("edge", own)).getCode()).isEqualTo(Code.OK);
    assertThat(only(request("edge", own)).getCode()).isEqualTo(Code.OVER_LIMIT);

    assertThat(only(request("nobody", own)).hasCurrentLimit()).isFalse();
  }

  @Test
  void malformedRequestsAreInvalidArgumentNamingTheField() {
    assertThat(client.call(request("", descriptor("a", "b"))))
        .isEqualTo(
            new RlsClient.Outcome(
                null, GrpcStatus.INVALID_ARGUMENT, "domain: \"\" (expected: not empty)"));
    assertThat(client.call(request("edge")).message())
        .isEqualTo("descriptors: [] (expected: at least one descriptor)");
    assertThat(
            client
                .call(
                    request("edge", descriptor("a", "b"), RateLimitDescriptor.getDefaultInstance()))
                .message())
        .isEqualTo("descriptors[1].entries: [] (expected: at least one entry)");
    assertThat(client.call(request("edge", descriptor("", "b"))).message())
        .isEqualTo("descriptors[0].entries[0].key: \"\" (expected: not empty)");
    // A count Redis's Lua could not keep exactly (it would be written as 1e+17).
    RateLimitDescriptor huge =
        descriptor("a", "b").toBuilder()
            .setHitsAddend(com.google.protobuf.UInt64Value.of((1L << 53) + 1))
            .build();
    assertThat(client.call(request("edge", huge)).message())
        .isEqualTo("descriptors[0].hits_addend: 9007199254740993 (expected: at most 2^53)");
    assertThat(client.call(request("edge", huge)).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }
}
