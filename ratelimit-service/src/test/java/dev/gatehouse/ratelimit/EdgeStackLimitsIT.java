package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.ratelimit.config.ConfigAssembler;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge Stack RateLimit resources over real gRPC: patterns, several limits on one pattern,
 * burstFactor as a token bucket, LogOnly, and the headers and body of a denial.
 */
class EdgeStackLimitsIT extends ServiceHarness {

  @Override
  protected Store store() {
    return Store.MEMORY;
  }

  @BeforeEach
  void serveResources() {
    LoadResult loaded =
        new ResourceLoader()
            .addText(
                """
                apiVersion: getambassador.io/v3alpha1
                kind: RateLimit
                metadata: {name: backend}
                spec:
                  domain: ambassador
                  limits:
                    - name: per-org
                      pattern: [{generic_key: backend}, {x-org: ""}]
                      rate: 2
                      unit: minute
                      injectRequestHeaders: [{name: x-limit, value: per-org}]
                      errorResponse:
                        headers: [{name: retry-after, value: "60"}]
                        bodyTemplate: "slow down"
                    - name: per-org-daily
                      pattern: [{generic_key: backend}, {x-org: ""}]
                      rate: 100
                      unit: day
                    - name: bursty
                      pattern: [{generic_key: bursty}]
                      rate: 1
                      unit: second
                      burstFactor: 3
                    - pattern: [{generic_key: watched}]
                      rate: 1
                      unit: minute
                      action: LogOnly
                    - name: templated
                      pattern: [{generic_key: templated}]
                      rate: 1
                      unit: minute
                      injectRequestHeaders:
                        - {name: x-code, value: "{{ .RateLimitResponse.OverallCode }}"}
                      injectResponseHeaders:
                        - {name: x-retry-after, value: "{{ .RetryAfter.Seconds }}"}
                      errorResponse:
                        headers:
                          - {name: retry-after, value: "{{ .RetryAfter.Seconds }}"}
                        bodyTemplate: >-
                          {"status": {{ .status_code }}, "message": {{ .message | json }},
                          "retry": "{{ .RetryAfter }}",
                          "limit": {{ index .RateLimitResponse.Statuses 0 | json }}}
                    - name: either
                      pattern: [{x-service: shop, x-app: shop}]
                      rate: 1
                      unit: minute
                """,
                "backend.yaml")
            .result();
    assertThat(loaded.problems()).isEmpty();
    ConfigAssembler assembler = new ConfigAssembler();
    loaded.ofKind(Kind.RATE_LIMIT, RateLimit.class).forEach(assembler::add);
    serve(assembler.build(1));
  }

  @Test
  void patternLimitsTheDescriptorWithAnyValueAndItsDenialCarriesHeadersAndBody() {
    RateLimitRequest acme =
        request("ambassador", descriptor("generic_key", "backend", "x-org", "acme"));
    RateLimitResponse first = check(acme);
    assertThat(first.getStatuses(0).getCurrentLimit().getName()).isEqualTo("per-org");
    assertThat(first.getRequestHeadersToAddList())
        .singleElement()
        .satisfies(h -> assertThat(h.getKey() + "=" + h.getValue()).isEqualTo("x-limit=per-org"));
    check(acme);

    RateLimitResponse denied = check(acme);
    assertThat(denied.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(denied.getResponseHeadersToAddList())
        .singleElement()
        .satisfies(h -> assertThat(h.getKey() + "=" + h.getValue()).isEqualTo("retry-after=60"));
    assertThat(denied.getRawBody().toStringUtf8()).isEqualTo("slow down");

    // Another org has counters of its own.
    RateLimitResponse other =
        check(request("ambassador", descriptor("generic_key", "backend", "x-org", "globex")));
    assertThat(other.getOverallCode()).isEqualTo(Code.OK);
    assertThat(other.getStatuses(0).getLimitRemaining()).isEqualTo(1);
  }

  @Test
  void templatesRenderEdgeStacksDataOnEachAnswer() {
    clock.at(30);
    RateLimitRequest templated = request("ambassador", descriptor("generic_key", "templated"));

    RateLimitResponse allowed = check(templated);
    assertThat(allowed.getRequestHeadersToAddList())
        .singleElement()
        .satisfies(h -> assertThat(h.getKey() + "=" + h.getValue()).isEqualTo("x-code=1"));
    assertThat(allowed.getResponseHeadersToAddList())
        .singleElement()
        .satisfies(h -> assertThat(h.getKey() + "=" + h.getValue()).isEqualTo("x-retry-after=0"));
    assertThat(allowed.getRawBody().isEmpty()).isTrue();

    RateLimitResponse denied = check(templated);
    assertThat(denied.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(denied.getResponseHeadersToAddList())
        .extracting(h -> h.getKey() + "=" + h.getValue())
        .containsExactly("x-retry-after=30", "retry-after=30");
    assertThat(denied.getRawBody().toStringUtf8())
        .isEqualTo(
            "{\"status\": 429, \"message\": \"Too Many Requests\", \"retry\": \"30s\","
                + " \"limit\": {\"Code\":2,\"CurrentLimit\":{\"Name\":\"templated\","
                + "\"RequestsPerUnit\":1,\"Unit\":\"MINUTE\"},\"LimitRemaining\":0,"
                + "\"DurationUntilReset\":30000000000}}");
  }

  @Test
  void aPatternEntryWithSeveralPairsMatchesAnyOfThemWithCountersOfTheirOwn() {
    RateLimitRequest service = request("ambassador", descriptor("x-service", "shop"));
    RateLimitRequest app = request("ambassador", descriptor("x-app", "shop"));

    assertThat(check(service).getStatuses(0).getCurrentLimit().getName()).isEqualTo("either");
    assertThat(check(service).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(check(app).getOverallCode()).isEqualTo(Code.OK);
    assertThat(check(app).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
    assertThat(
            check(request("ambassador", descriptor("x-app", "other")))
                .getStatuses(0)
                .hasCurrentLimit())
        .isFalse();
  }

  @Test
  void burstFactorLetsABurstThroughThenTheRate() {
    clock.at(0);
    RateLimitRequest bursty = request("ambassador", descriptor("generic_key", "bursty"));
    List<Code> codes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      codes.add(check(bursty).getOverallCode());
    }
    assertThat(codes).containsExactly(Code.OK, Code.OK, Code.OK, Code.OVER_LIMIT);
    clock.at(1);
    assertThat(check(bursty).getOverallCode()).isEqualTo(Code.OK);
  }

  @Test
  void logOnlyNeverDeniesAndAnUnnamedLimitTakesEdgeStacksDefaultName() {
    RateLimitRequest watched = request("ambassador", descriptor("generic_key", "watched"));
    for (int i = 0; i < 3; i++) {
      RateLimitResponse response = check(watched);
      assertThat(response.getOverallCode()).isEqualTo(Code.OK);
      assertThat(response.getStatuses(0).getCurrentLimit().getName())
          .isEqualTo("backend.default-3");
    }
    assertThat(server.metrics().scrape())
        .contains(
            "gatehouse_ratelimit_shadow_mode_total{rule=\"ambassador.generic_key_watched\"} 2.0");
  }
}
