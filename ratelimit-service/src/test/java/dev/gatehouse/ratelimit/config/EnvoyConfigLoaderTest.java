package dev.gatehouse.ratelimit.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** envoyproxy/ratelimit files load as that project reads them, and each mistake is placed. */
class EnvoyConfigLoaderTest {

  private static List<String> errors(String yaml) {
    EnvoyConfigLoader.FileResult result = EnvoyConfigLoader.parse(yaml, "limits.yaml");
    assertThat(result.ok()).as("rejected").isFalse();
    return result.problems().stream().map(ConfigError::toString).toList();
  }

  @Test
  void validFileBuildsTheTreeWithWildcardsNamesAndExtensions() {
    EnvoyConfigLoader.FileResult result =
        EnvoyConfigLoader.parse(
            """
            domain: edge
            descriptors:
              - key: path
                value: /api*
                shadow_mode: true
                detailed_metric: true
                rate_limit: {unit: Second, requests_per_unit: 5, name: api}
                rate_limits:
                  - {unit: day, requests_per_unit: 1000, algorithm: sliding_window}
                  - {unit: minute, unit_multiplier: 5, requests_per_unit: 10, algorithm: token_bucket, burst: 4}
              - key: internal
                rate_limit: {unlimited: true}
            """,
            "limits.yaml");

    assertThat(result.problems()).isEmpty();
    DescriptorNode root = new ConfigAssembler().add(result).build(1).domain("edge").root();
    DescriptorNode api = root.children().get("path_/api*");
    assertThat(root.wildcards()).containsExactly("path_/api*");
    assertThat(api.detailedMetric()).isTrue();
    assertThat(api.limits())
        .extracting(
            LimitRule::name,
            LimitRule::windowSeconds,
            LimitRule::algorithm,
            LimitRule::burst,
            LimitRule::shadow,
            LimitRule::keyTag)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api", 1L, Algorithm.FIXED_WINDOW, 5L, true, ""),
            org.assertj.core.groups.Tuple.tuple(
                "", 86_400L, Algorithm.SLIDING_WINDOW, 1000L, true, "sw86400_"),
            org.assertj.core.groups.Tuple.tuple(
                "", 300L, Algorithm.TOKEN_BUCKET, 4L, true, "tb300_10_"));
    assertThat(root.children().get("internal").unlimited()).isTrue();
  }

  @Test
  void unknownFieldIsAnErrorWithASuggestion() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: a
                    rate_limit: {unit: second, request_per_unit: 5}
                """))
        .containsExactly(
            "limits.yaml:4: domain edge: descriptors[0].rate_limit.request_per_unit: unknown field"
                + " (did you mean \"requests_per_unit\"?)");
  }

  @Test
  void duplicateCompositeKeyAtOneLevelIsAnError() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: a
                    value: b
                    rate_limit: {unit: second, requests_per_unit: 5}
                  - key: a
                    value: b
                    rate_limit: {unit: minute, requests_per_unit: 5}
                """))
        .containsExactly(
            "limits.yaml:6: domain edge: descriptors[1]: duplicate composite key \"a_b\""
                + " (expected: each key and value once per level, first at line 3)");
  }

  @Test
  void unlimitedWithAUnitIsAnError() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: a
                    rate_limit:
                      unlimited: true
                      unit: second
                """))
        .containsExactly(
            "limits.yaml:6: domain edge: descriptors[0].rate_limit.unit: second"
                + " (expected: no unit when unlimited is true)");
  }

  @Test
  void limitReplacingItselfIsAnError() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: a
                    rate_limit:
                      name: mine
                      unit: second
                      requests_per_unit: 1
                      replaces:
                        - name: mine
                """))
        .containsExactly(
            "limits.yaml:9: domain edge: descriptors[0].rate_limit.replaces[0].name: \"mine\""
                + " (expected: another limit's name; a limit cannot replace itself)");
  }

  @Test
  void unknownUnitIsAnErrorNamingTheUnits() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: a
                    rate_limit: {unit: fortnight, requests_per_unit: 1}
                """))
        .containsExactly(
            "limits.yaml:4: domain edge: descriptors[0].rate_limit.unit: \"fortnight\""
                + " (expected: one of second, minute, hour, day, week, month, year)");
  }

  @Test
  void everyMissingFieldAndMisplacedBurstIsReportedInOnePass() {
    assertThat(
            errors(
                """
                domain: edge
                descriptors:
                  - key: b
                    rate_limit: {requests_per_unit: 1}
                  - key: c
                    rate_limit: {unit: second, requests_per_unit: 1, burst: 3}
                  - key: d
                    rate_limit: {unit: second}
                """))
        .containsExactly(
            "limits.yaml:4: domain edge: descriptors[0].rate_limit.unit: required field is missing",
            "limits.yaml:6: domain edge: descriptors[1].rate_limit.burst: 3"
                + " (expected: burst only with algorithm: token_bucket)",
            "limits.yaml:8: domain edge: descriptors[2].rate_limit.requests_per_unit: required"
                + " field is missing");
  }

  @Test
  void missingDomainAndBrokenYamlAreErrorsOfTheFile() {
    assertThat(errors("descriptors: []\n"))
        .containsExactly("limits.yaml:1: domain ?: domain: required field is missing");
    assertThat(errors("domain: edge\ndescriptors: [\n"))
        .containsExactly(
            "limits.yaml:3: limits.yaml: not valid YAML (column 1): expected the node content, but"
                + " found '<stream end>'");
  }

  @Test
  void secondFileForTheSameDomainIsReported() {
    ConfigAssembler assembler = new ConfigAssembler();
    assembler.add(EnvoyConfigLoader.parse("domain: edge\ndescriptors: []\n", "a.yaml"));
    assembler.add(EnvoyConfigLoader.parse("domain: edge\ndescriptors: []\n", "b.yaml"));
    assertThat(assembler.problems().stream().map(ConfigError::toString))
        .containsExactly(
            "b.yaml: domain edge: domain: \"edge\" (expected: each domain in one file; also in"
                + " a.yaml)");
  }
}
