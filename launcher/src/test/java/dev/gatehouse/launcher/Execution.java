package dev.gatehouse.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One in-process run of the {@code gatehouse} command, with its output captured. */
record Execution(int exitCode, String out, String err) {

  static Execution of(String... args) {
    return of(Map.of(), args);
  }

  static Execution of(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Gatehouse.commandLine(environment);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Execution(exitCode, out.toString(), err.toString());
  }
}
