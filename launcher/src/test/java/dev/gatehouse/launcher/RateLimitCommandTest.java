package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code gatehouse ratelimit}'s options: what it refuses before starting anything. */
class RateLimitCommandTest {

  @Test
  void withoutConfigDirItIsAUsageErrorSayingWhatIsMissing() {
    Execution run = Execution.of("ratelimit");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err())
        .startsWith(
            "--config-dir: missing (expected: the directory of rate limit configuration, or --control-plane HOST:PORT)");
  }

  @Test
  void controlPlaneAndConfigDirTogetherAreAUsageError() {
    Execution run =
        Execution.of("ratelimit", "--config-dir", ".", "--control-plane", "127.0.0.1:5701");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err())
        .startsWith(
            "--control-plane: given with --config-dir (expected: one source of configuration)");
  }

  @Test
  void unknownFailureModeIsAUsageError() {
    Execution run = Execution.of("ratelimit", "--config-dir", ".", "--on-store-error", "shrug");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).startsWith("--on-store-error: shrug (expected: error, allow or deny)");
  }

  @Test
  void storeTimeoutMustBeAPositiveDuration() {
    Execution run = Execution.of("ratelimit", "--config-dir", ".", "--store-timeout", "fast");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("fast (expected: a duration such as 15ms or 1s)");
  }

  @Test
  void sentinelModeNeedsTheMastersName() {
    Execution run =
        Execution.of(
            Map.of("GATEHOUSE_REDIS_MODE", "sentinel"),
            "ratelimit",
            "--config-dir",
            ".",
            "--redis",
            "redis://127.0.0.1:26379");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err())
        .startsWith("redis-sentinel-master: missing (expected: the master's name with Sentinel)");
  }

  @Test
  void helpDocumentsEveryOptionWithItsDefaultAndVariable() {
    Execution run = Execution.of("ratelimit", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--config-dir=DIR", "Env: GATEHOUSE_CONFIG_DIR")
        .contains("--redis=URL", "Env: GATEHOUSE_REDIS")
        .contains("--ratelimit-port=PORT", "Default: 8081")
        .contains("--admin-port=PORT", "Default: 8877")
        .contains("--on-store-error=MODE", "Default: error", "Env: GATEHOUSE_ON_STORE_ERROR")
        .contains("--store-timeout=DURATION", "Default: 15ms")
        .contains("--response-headers", "--local-cache-size=N", "--redis-mode=MODE")
        .contains(
            "--redis-nodes=URL,...", "--redis-sentinel-master=NAME", "--redis-key-prefix=PREFIX")
        .contains("--ratelimit-tls-cert=FILE", "--ratelimit-tls-key=FILE");
  }
}
