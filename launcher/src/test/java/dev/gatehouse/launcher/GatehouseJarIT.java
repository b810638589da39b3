package dev.gatehouse.launcher;

import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_ERROR;
import static dev.gatehouse.launcher.Fixtures.NEGATIVE_TIMEOUT_MAPPING;
import static dev.gatehouse.launcher.Fixtures.VALID_MAPPING;
import static dev.gatehouse.launcher.Fixtures.directoryWith;
import static java.nio.charset.StandardCharsets.UTF_8;
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

  /**
   * The README's run command: {@code gatehouse demo} outside a checkout (so on the jar's copy of
   * the quickstart), then the tour it prints, run by bash as a user would paste it, then SIGTERM.
   * The demo's ports are fixed (the quickstart names them), so this test needs them free.
   */
  @Test
  void jarRunsTheDemoWhoseTourWorksAndStopsOnSigterm() throws Exception {
    Process demo = start("demo");
    try {
      StringBuilder out = new StringBuilder();
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(() -> copyLines(demo.getInputStream(), out));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!contains(out, "Ctrl-C stops everything.") && demo.isAlive()) {
        assertThat(System.nanoTime()).as("the demo starts: %s", out).isLessThan(deadline);
        Thread.sleep(200);
      }
      String printed = snapshot(out);
      assertThat(printed).contains("gatehouse demo: edge proxy on http://localhost:8080");
      String tour =
          printed.substring(
              printed.indexOf("Try, in another terminal:") + 25, printed.indexOf("Edit the YAML"));

      // The tour's rate limit is 5 per minute, a fixed window on the clock: a minute that turns
      // mid-tour hands out a new quota and no 429 comes. Start it well inside a minute.
      while (java.time.LocalTime.now(java.time.ZoneOffset.UTC).getSecond() >= 45) {
        Thread.sleep(250);
      }
      Process bash = new ProcessBuilder("bash", "-c", tour).redirectErrorStream(true).start();
      String result = read(bash.getInputStream());
      assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(result)
          .contains("HTTP/1.1 200 OK", "\"server\":\"quote")
          .contains("429")
          .contains("HTTP/1.1 401 Unauthorized", "www-authenticate: Bearer")
          .contains("\"user\":\"alice\"")
          .contains("\"summary\" : \"loaded 11 resources");

      demo.destroy(); // SIGTERM, as docker stop and Kubernetes send
      assertThat(demo.waitFor(40, TimeUnit.SECONDS)).as("the demo stops on SIGTERM").isTrue();
      reader.get(10, TimeUnit.SECONDS);
    } finally {
      demo.destroyForcibly();
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private Result java(String... args) throws Exception {
    return java(Map.of(), args);
  }

  private Process start(String... args) throws IOException {
    return gatehouse(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** {@code java -jar gatehouse.jar ARGS} in the temporary directory, without GATEHOUSE_ vars. */
  private ProcessBuilder gatehouse(String... args) {
    assertThat(JAR).as("the shaded jar (built at package)").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith(EnvironmentDefaults.PREFIX));
    return builder;
  }

  private static void copyLines(InputStream in, StringBuilder out) {
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (out) {
          out.append(line).append('\n');
        }
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private static boolean contains(StringBuilder out, String text) {
    return snapshot(out).contains(text);
  }

  private static String snapshot(StringBuilder out) {
    synchronized (out) {
      return out.toString();
    }
  }

  private Result java(Map<String, String> environment, String... args) throws Exception {
    ProcessBuilder builder = gatehouse(args);
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
