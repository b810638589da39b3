package dev.gatehouse.packaging;

import dev.gatehouse.launcher.Gatehouse;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The real {@code gatehouse} command tree, so that deployment files can only use subcommands, flags
 * and {@code GATEHOUSE_} variables that exist.
 */
final class Cli {
  /**
   * Flags the chart uses that land with work in progress elsewhere: the control plane's Kubernetes
   * source ({@code --namespace}) and the services' subscription to the control plane ({@code
   * --control-plane}, already in ext-authz-service and ratelimit-service, not yet in the launcher).
   * Tolerated only while the launcher lacks them; docs/deploy.md names them.
   */
  static final Map<String, Set<String>> PENDING_FLAGS =
      Map.of(
          "control-plane", Set.of("--namespace"),
          "ext-authz", Set.of("--control-plane"),
          "ratelimit", Set.of("--control-plane"));

  /** Read by the image's gatehouse script (as by the repository's), not by picocli. */
  static final String JAVA_OPTS = "GATEHOUSE_JAVA_OPTS";

  private static final CommandLine ROOT = Gatehouse.commandLine(Map.of());

  private Cli() {}

  static Optional<CommandLine> subcommand(String name) {
    return Optional.ofNullable(ROOT.getSubcommands().get(name));
  }

  /** Every option name of a subcommand, e.g. {@code --config-dir}. */
  static Set<String> flags(String subcommand) {
    Set<String> out = new LinkedHashSet<>();
    for (OptionSpec option : subcommand(subcommand).orElseThrow().getCommandSpec().options()) {
      out.addAll(java.util.List.of(option.names()));
    }
    return out;
  }

  /** Whether a flag (with or without =value) is an option of the subcommand, or pending. */
  static boolean knows(String subcommand, String argument) {
    String flag = argument.split("=", 2)[0];
    return flags(subcommand).contains(flag)
        || PENDING_FLAGS.getOrDefault(subcommand, Set.of()).contains(flag);
  }

  /** The default value of a subcommand's option, as its annotation gives it. */
  static String defaultOf(String subcommand, String flag) {
    OptionSpec option = subcommand(subcommand).orElseThrow().getCommandSpec().findOption(flag);
    if (option == null || option.defaultValue() == null) {
      throw new IllegalArgumentException(
          subcommand + " " + flag + " (expected: an option with a default)");
    }
    return option.defaultValue();
  }

  /** The default value of a port option, as a number. */
  static int defaultPort(String subcommand, String flag) {
    return Integer.parseInt(defaultOf(subcommand, flag));
  }

  /** The environment variables the subcommand reads, as EnvironmentDefaults names them. */
  static Set<String> variables(String subcommand) {
    Set<String> out = new LinkedHashSet<>();
    out.add(JAVA_OPTS);
    for (OptionSpec option : subcommand(subcommand).orElseThrow().getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String name = option.longestName().replaceFirst("^-+", "");
      out.add("GATEHOUSE_" + name.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT));
    }
    return out;
  }
}
