package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md is the reference of every subcommand and flag: the {@code --help} of each, as the CLI
 * prints it. This test fails when the two differ; run it with {@code -Dgatehouse.writeDocs=true} to
 * rewrite the file from the code.
 */
class CliReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "cli.md");

  @Test
  void docsCliMdIsTheHelpOfEveryCommand() throws Exception {
    String expected = reference();
    if (Boolean.getBoolean("gatehouse.writeDocs")) {
      Files.writeString(REFERENCE, expected, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
        .as(
            "docs/cli.md is stale: run mvn -pl launcher test -Dtest=CliReferenceTest"
                + " -Dgatehouse.writeDocs=true")
        .isEqualTo(expected);
  }

  private static String reference() {
    CommandLine root = Gatehouse.commandLine(Map.of());
    StringBuilder doc =
        new StringBuilder(
            """
            # The `gatehouse` command line

            Every subcommand's `--help`, as the CLI prints it (generated from the code and checked
            by `CliReferenceTest`). Every option can also be set by an environment variable named
            after it (`--config-dir` is `GATEHOUSE_CONFIG_DIR`); the command line wins.

            """);
    doc.append("## gatehouse\n\n```\n").append(usage(root)).append("```\n");
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      doc.append("\n## gatehouse ")
          .append(sub.getKey())
          .append("\n\n```\n")
          .append(usage(sub.getValue()))
          .append("```\n");
    }
    return doc.toString();
  }

  private static String usage(CommandLine command) {
    command.setUsageHelpWidth(100);
    return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }
}
