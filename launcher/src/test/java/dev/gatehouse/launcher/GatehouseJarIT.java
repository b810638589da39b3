package dev.gatehouse.launcher;

import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_ERROR;
import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_MAPPING;
import static dev.gatehouse.launcher.Fixtures.VALID_MAPPING;
import static dev.gatehouse.launcher.Fixtures.directoryWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded {@code target/gatehouse.jar} as users do: {@code java -jar}, a child process. */
class GatehouseJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("gatehouse.jar", "target/gatehouse.jar")).toAbsolutePath();

  @TempDir Path temp;

  @Test
  void jarValidatesADirectoryGivenRelativeToItsWorkingDirectory() throws Exception {
    directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);

    Result result = java("validate", "good");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("loaded 1 resource (1 Mapping); rejected 0\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void jarReportsAnInvalidDirectoryWithExitOne() throws Exception {
    Path dir = directoryWith(temp, "bad", "bad.yaml", NEGATIVE_TIMEOUT_MAPPING);

    Result result = java("validate", dir.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.out().lines())
        .containsExactly(NEGATIVE_TIMEOUT_ERROR, "loaded 0 resources; rejected 1 (1 Mapping)");
  }

  @Test
  void jarReadsTheDirectoryFromTheEnvironment() throws Exception {
    Path dir = directoryWith(temp, "good", "quote.yaml", VALID_MAPPING);

    Result result = java(Map.of("GATEHOUSE_CONFIG_DIR", dir.toString()), "validate");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("loaded 1 resource (1 Mapping)");
  }

  @Test
  void jarManifestCarriesTheVersion() throws Exception {
    Result result = java("--version");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("gatehouse " + Gatehouse.Version.version() + "\n");
  }

  @Test
  void jarSaysWhenASubcommandIsNotAvailable() throws Exception {
    Result result = java("run");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("gatehouse run: not available yet (the all-in-one mode comes with issue #7)\n");
  }

  private record Result(int exitCode, String out, String err) {}

  private Result java(String... args) throws Exception {
    return java(Map.of(), args);
  }

  private Result java(Map<String, String> environment, String... args) throws Exception {
    assertThat(JAR).as("the shaded jar (built at package)").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith(EnvironmentDefaults.PREFIX));
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("gatehouse exits").isTrue();
    return new Result(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
