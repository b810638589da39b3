package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The validate session shown in the README is what the CLI prints for examples/broken. */
class ReadmeExampleTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theReadmesValidateExampleIsWhatTheCliPrints() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    int start = readme.indexOf("$ ./gatehouse validate examples/broken");
    assertThat(start).as("the README shows a validate session").isPositive();
    List<String> shown =
        readme.subList(start + 1, readme.subList(start, readme.size()).indexOf("```") + start);

    StringWriter out = new StringWriter();
    CommandLine cli = Gatehouse.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("validate", ROOT.resolve("examples/broken").toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString().lines()).containsExactlyElementsOf(shown);
  }
}
