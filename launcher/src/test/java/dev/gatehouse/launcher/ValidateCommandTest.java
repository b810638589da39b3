package dev.gatehouse.launcher;

import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_ERROR;
import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_MAPPING;
import static dev.gatehouse.launcher.Fixtures.VALID_MAPPING;
import static dev.gatehouse.launcher.Fixtures.directoryWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path temp;

  @Test
  void validDirectoryExitsZeroAndPrintsTheSummary() throws IOException {
    Path dir = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);

    Execution run = Execution.of("validate", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("loaded 1 resource (1 Mapping); rejected 0\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void invalidMappingExitsOneAndPrintsTheErrorWithFileAndLine() throws IOException {
    Path dir = directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING);

    Execution run = Execution.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(Gatehouse.INVALID_CONFIGURATION);
    assertThat(run.out().lines())
        .containsExactly(NEGATIVE_TIMEOUT_ERROR, "loaded 0 resources; rejected 1 (1 Mapping)");
  }

  @Test
  void singleFileIsValidatedOnItsOwn() throws IOException {
    Path file =
        directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING).resolve("bad.yaml");

    Execution run = Execution.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(Gatehouse.INVALID_CONFIGURATION);
    assertThat(run.out()).startsWith(NEGATIVE_TIMEOUT_ERROR + "\n");
  }

  @Test
  void missingDirectoryIsAnInvalidConfigurationNamingThePath() {
    String missing = temp.resolve("nowhere").toString();

    Execution run = Execution.of("validate", missing);

    assertThat(run.exitCode()).isEqualTo(Gatehouse.INVALID_CONFIGURATION);
    assertThat(run.out().lines())
        .containsExactly(
            missing + ": no such file or directory", "loaded 0 resources; rejected 1 (1 file)");
  }

  @Test
  void quietPrintsOnlyErrors() throws IOException {
    Path good = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);
    Path bad = directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING);

    Execution valid = Execution.of("validate", "--quiet", good.toString());
    Execution invalid = Execution.of("validate", "--quiet", bad.toString());

    assertThat(valid.exitCode()).isZero();
    assertThat(valid.out()).isEmpty();
    assertThat(invalid.exitCode()).isEqualTo(Gatehouse.INVALID_CONFIGURATION);
    assertThat(invalid.out().lines()).containsExactly(NEGATIVE_TIMEOUT_ERROR);
  }

  @Test
  void configDirEnvironmentVariableSuppliesDirWhenTheArgumentIsAbsent() throws IOException {
    Path bad = directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING);

    Execution run = Execution.of(Map.of("GATEHOUSE_CONFIG_DIR", bad.toString()), "validate");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.INVALID_CONFIGURATION);
    assertThat(run.out()).startsWith(NEGATIVE_TIMEOUT_ERROR + "\n");
  }

  @Test
  void dirArgumentBeatsTheEnvironment() throws IOException {
    Path good = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);
    Path bad = directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING);

    Execution run =
        Execution.of(Map.of("GATEHOUSE_CONFIG_DIR", bad.toString()), "validate", good.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("loaded 1 resource (1 Mapping); rejected 0\n");
  }

  @Test
  void configDirOptionWorksLikeDir() throws IOException {
    Path good = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);

    Execution run = Execution.of("validate", "--config-dir", good.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("loaded 1 resource (1 Mapping); rejected 0\n");
  }

  @Test
  void otherAmbassadorIdIgnoresResourcesNotMeantForIt() throws IOException {
    Path good = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);

    Execution run = Execution.of("validate", "--ambassador-id", "staging", good.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("loaded 0 resources; rejected 0");
  }

  @Test
  void withoutDirOrConfigDirItIsAUsageError() {
    Execution run = Execution.of("validate");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("Missing DIR: give a directory or file, --config-dir or GATEHOUSE_CONFIG_DIR")
        .contains("Try 'gatehouse validate --help'");
  }

  @Test
  void dirAndConfigDirTogetherAreAUsageError() {
    Execution run = Execution.of("validate", "--config-dir", "a", "b");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("either as DIR or as --config-dir, not both");
  }
}
