package dev.gatehouse.controlplane.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the xDS of every compiler feature: each folder under {@code src/test/resources/golden/} has
 * an {@code input.yaml} and the {@code expected.json} it compiles to (plus {@code problems.txt}
 * when the compiler reports any). To regenerate after an intended change, run {@code mvn -pl
 * control-plane verify -Dgolden.update=true} and review the diff; by default the test compares.
 */
class GoldenXdsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(GOLDEN)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void compilesToTheGoldenXds(String name) throws IOException {
    Path dir = GOLDEN.resolve(name);
    LoadResult loaded =
        new ResourceLoader().addFile(dir.resolve("input.yaml"), "input.yaml").result();
    assertThat(loaded.errors()).as("the input loads cleanly").isEmpty();

    CompiledConfig compiled = new Compiler().compile(loaded);
    String json = XdsJson.print(compiled);
    String problems =
        compiled.problems().stream().map(ConfigError::toString).collect(Collectors.joining("\n"));

    Path expectedJson = dir.resolve("expected.json");
    Path expectedProblems = dir.resolve("problems.txt");
    if (UPDATE) {
      Files.writeString(expectedJson, json, StandardCharsets.UTF_8);
      if (problems.isEmpty()) {
        Files.deleteIfExists(expectedProblems);
      } else {
        Files.writeString(expectedProblems, problems + "\n", StandardCharsets.UTF_8);
      }
    }
    assertThat(json).isEqualTo(Files.readString(expectedJson, StandardCharsets.UTF_8));
    String wantedProblems =
        Files.exists(expectedProblems) ? Files.readString(expectedProblems).strip() : "";
    assertThat(problems).isEqualTo(wantedProblems);
  }
}
