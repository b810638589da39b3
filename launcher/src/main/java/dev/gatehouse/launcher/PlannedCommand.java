package dev.gatehouse.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand whose options are settled but whose service is not built yet: it parses its options,
 * so that {@code --help} documents them and mistakes are reported, then says which issue brings it
 * and exits with {@link Gatehouse#USAGE}.
 */
abstract class PlannedCommand implements Callable<Integer> {
  private final String what;
  private final int issue;

  @Spec private CommandSpec spec;

  PlannedCommand(String what, int issue) {
    this.what = what;
    this.issue = issue;
  }

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .printf(
            "%s: not available yet (%s comes with issue #%d)%n", spec.qualifiedName(), what, issue);
    spec.commandLine().getErr().flush();
    return Gatehouse.USAGE;
  }
}
