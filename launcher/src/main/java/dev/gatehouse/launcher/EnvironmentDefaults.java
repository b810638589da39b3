package dev.gatehouse.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IOptionRenderer;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes each option's default from the environment variable {@code GATEHOUSE_<OPTION>}, the
 * option's longest name in upper snake case ({@code --config-dir} reads {@code
 * GATEHOUSE_CONFIG_DIR}), so that containers can be configured without a command line. A value on
 * the command line wins; an empty variable counts as unset, as compose files write them.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  static final String PREFIX = "GATEHOUSE_";

  private final Map<String, String> environment;

  EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !configurable(option)) {
      return null; // picocli then uses the annotation's default
    }
    String value = environment.get(variable(option));
    return value == null || value.isBlank() ? null : value;
  }

  /** Whether an option is read from the environment: all but --help and --version. */
  static boolean configurable(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp();
  }

  /** The environment variable of an option: {@code --ratelimit-port} → GATEHOUSE_RATELIMIT_PORT. */
  static String variable(OptionSpec option) {
    String name = option.longestName().replaceFirst("^-+", "");
    return PREFIX + name.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
  }

  /** Usage help that shows each option's variable below its description. */
  static Help help(CommandSpec spec, ColorScheme colors) {
    return new Help(spec, colors) {
      @Override
      public IOptionRenderer createDefaultOptionRenderer() {
        IOptionRenderer standard = super.createDefaultOptionRenderer();
        return (option, labels, scheme) -> {
          Text[][] rows = standard.render(option, labels, scheme);
          if (!configurable(option) || rows.length == 0) {
            return rows;
          }
          Text[] envRow = new Text[rows[0].length];
          Arrays.fill(envRow, scheme.text(""));
          envRow[envRow.length - 1] = scheme.text("  Env: " + variable(option));
          Text[][] withEnv = Arrays.copyOf(rows, rows.length + 1);
          withEnv[rows.length] = envRow;
          return withEnv;
        };
      }
    };
  }
}
