package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatehouseTest {

  @Test
  void versionNamesTheProjectVersion() {
    Execution run = Execution.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).matches("(?s)gatehouse \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava .*");
  }

  @Test
  void helpListsEverySubcommand() {
    Execution run = Execution.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: gatehouse")
        .contains(
            "run",
            "demo",
            "demo-upstream",
            "control-plane",
            "edge-proxy",
            "ext-authz",
            "ratelimit",
            "validate")
        .contains("GATEHOUSE_CONFIG_DIR for --config-dir");
  }

  @Test
  void withoutSubcommandItIsAUsageError() {
    Execution run = Execution.of();

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("Missing required subcommand");
  }

  @Test
  void unknownSubcommandIsAUsageErrorWithASuggestion() {
    Execution run = Execution.of("validat");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("Unmatched argument").contains("validate");
  }

  @Test
  void runWithoutADirectoryIsAUsageError() {
    Execution run = Execution.of("run");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("Missing required option: --config-dir=DIR");
  }

  @Test
  void runRejectsABadOptionBeforeStartingAnything() {
    Execution run = Execution.of("run", "--http-port", "70000");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("--http-port").contains("port: 70000 (expected: 0..65535)");
  }

  @Test
  void subcommandHelpDocumentsItsOptionsWithDefaultsAndVariables() {
    Execution run = Execution.of("edge-proxy", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--xds=HOST:PORT")
        .contains("Default: localhost:18000")
        .contains("Env: GATEHOUSE_XDS")
        .contains("--admin-port=PORT")
        .contains("Default: 8877")
        .contains("Env: GATEHOUSE_ADMIN_PORT")
        .doesNotContain("GATEHOUSE_HELP")
        .doesNotContain("GATEHOUSE_VERSION");
  }
}
