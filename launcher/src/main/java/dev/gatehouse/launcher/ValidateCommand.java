package dev.gatehouse.launcher;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse validate DIR}: loads resources as the control plane would and reports every
 * problem with file and line, for CI and for editing by hand.
 */
@Command(
    name = "validate",
    description = {
      "Checks getambassador.io resources in a directory (or one file) and prints every problem"
          + " with its file and line, then a summary.",
      "Exits 1 when any resource or file is rejected."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "DIR",
      description = "Directory or file to check; default: --config-dir.")
  private Path dir;

  @Mixin private Options.Resources resources;

  @Option(names = "--quiet", description = "Print only errors: no warnings, no summary.")
  private boolean quiet;

  @Override
  public Integer call() {
    LoadResult result = new ResourceLoader(resources.ambassadorId()).add(target()).result();
    PrintWriter out = spec.commandLine().getOut();
    for (ConfigError problem : result.problems()) {
      if (problem.isError() || !quiet) {
        out.println(problem);
      }
    }
    if (!quiet) {
      out.println(result.summary());
    }
    out.flush();
    return result.hasRejections() ? Gatehouse.INVALID_CONFIGURATION : Gatehouse.OK;
  }

  /** DIR, else --config-dir (or GATEHOUSE_CONFIG_DIR). */
  private Path target() {
    if (dir != null && spec.commandLine().getParseResult().hasMatchedOption("--config-dir")) {
      throw new ParameterException(
          spec.commandLine(), "Give the directory either as DIR or as --config-dir, not both");
    }
    if (dir != null) {
      return dir;
    }
    return resources
        .configDir()
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "Missing DIR: give a directory or file, --config-dir or GATEHOUSE_CONFIG_DIR"));
  }
}
