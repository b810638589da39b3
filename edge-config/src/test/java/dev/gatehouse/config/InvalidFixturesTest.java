package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid fixture states, in its trailing {@code # expect:} and {@code # summary:} comments,
 * the exact messages and the summary that loading it alone must produce; this test holds the loader
 * to them, so each validation rule's message is pinned word for word.
 */
class InvalidFixturesTest {
  private static final Path DIR = Path.of("src/test/resources/fixtures/invalid");

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void reportsExactlyTheExpectedProblemsAndKeepsTheGoodResources(Path fixture) throws IOException {
    List<String> lines = Files.readAllLines(fixture);
    List<String> expected = commented(lines, "# expect: ");
    List<String> summary = commented(lines, "# summary: ");

    LoadResult result = ResourceLoader.load(fixture);

    assertThat(expected).as("a fixture states its expectations").isNotEmpty();
    assertThat(result.problems()).map(ConfigError::toString).containsExactlyElementsOf(expected);
    assertThat(summary).containsExactly(result.summary());
    assertThat(result.hasRejections()).isTrue();
  }

  private static List<String> commented(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }
}
