package dev.gatehouse.config.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import org.junit.jupiter.api.Test;

/** Gatehouse's extensions of an Edge Stack RateLimit limit: algorithm and unitMultiplier. */
class RateLimitExtensionsTest {

  private static LoadResult load(String limit) {
    return new ResourceLoader()
        .addText(
            """
            apiVersion: getambassador.io/v3alpha1
            kind: RateLimit
            metadata: {name: backend}
            spec:
              domain: ambassador
              limits:
            """
                + limit,
            "limits.yaml")
        .result();
  }

  @Test
  void absentExtensionsMeanEdgeStacksFixedWindowOfOneUnit() {
    LoadResult result = load("    - {pattern: [{generic_key: a}], rate: 5, unit: minute}\n");

    RateLimit.Limit limit =
        result.ofKind(Kind.RATE_LIMIT, RateLimit.class).get(0).spec().limits().get(0);
    assertThat(limit.algorithm()).isNull();
    assertThat(limit.unitMultiplier()).isEqualTo(1);
  }

  @Test
  void algorithmAndUnitMultiplierAreRead() {
    LoadResult result =
        load(
            "    - {pattern: [{generic_key: a}], rate: 5, unit: minute, algorithm: sliding_window,"
                + " unitMultiplier: 5}\n");

    RateLimit.Limit limit =
        result.ofKind(Kind.RATE_LIMIT, RateLimit.class).get(0).spec().limits().get(0);
    assertThat(limit.algorithm()).isEqualTo(RateLimit.Algorithm.SLIDING_WINDOW);
    assertThat(limit.unitMultiplier()).isEqualTo(5);
  }

  @Test
  void unknownAlgorithmAndZeroMultiplierAreErrorsAtTheirLine() {
    LoadResult result =
        load(
            "    - pattern: [{generic_key: a}]\n"
                + "      rate: 5\n"
                + "      unit: minute\n"
                + "      algorithm: leaky\n"
                + "      unitMultiplier: 0\n");

    assertThat(result.errors().stream().map(ConfigError::toString))
        .containsExactly(
            "limits.yaml:10: RateLimit default/backend: spec.limits[0].algorithm: \"leaky\""
                + " (expected: one of fixed_window, sliding_window, token_bucket)",
            "limits.yaml:11: RateLimit default/backend: spec.limits[0].unitMultiplier: 0"
                + " (expected: between 1 and 1000000)");
  }
}
