package dev.gatehouse.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code gatehouse} command: one distribution, one CLI, a subcommand per service. */
@Command(
    name = "gatehouse",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    versionProvider = Gatehouse.Version.class,
    description =
        "An edge stack for getambassador.io resources: edge proxy, ext_authz, rate limiting.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      DemoUpstreamCommand.class,
      ControlPlaneCommand.class,
      EdgeProxyCommand.class,
      ExtAuthzCommand.class,
      RateLimitCommand.class,
      ValidateCommand.class,
      ExplainCommand.class
    },
    footerHeading = "%n",
    footer = {
      "Every option can also be set by an environment variable named after it:"
          + " GATEHOUSE_CONFIG_DIR for --config-dir. The command line wins.",
      "Exit codes: 0 ok, 1 invalid configuration, 2 usage error or a service that cannot start."
    })
public final class Gatehouse implements Callable<Integer> {
  /** The command did what it was asked. */
  public static final int OK = 0;

  /** The configuration has problems that rejected at least one resource or file. */
  public static final int INVALID_CONFIGURATION = 1;

  /** The command line was wrong, or the command is not available (yet). */
  public static final int USAGE = 2;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The whole command tree, reading option defaults from {@code environment}. */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new Gatehouse());
    // Both setters apply to the subcommands already added, i.e. all of them.
    commandLine.setDefaultValueProvider(new EnvironmentDefaults(environment));
    commandLine.setHelpFactory(EnvironmentDefaults::help);
    commandLine.setParameterExceptionHandler(new ShortUsageErrors());
    return commandLine;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** The version from the jar manifest, or from the build's resources when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "gatehouse " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }

    static String version() {
      String fromManifest = Gatehouse.class.getPackage().getImplementationVersion();
      if (fromManifest != null) {
        return fromManifest;
      }
      try (InputStream in = Gatehouse.class.getResourceAsStream("version.properties")) {
        Properties properties = new Properties();
        if (in != null) {
          properties.load(in);
        }
        return properties.getProperty("version", "unknown");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A usage error is one line and a pointer to --help, not the whole usage text. */
  private static final class ShortUsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine command = e.getCommandLine();
      PrintWriter err = command.getErr();
      err.println(command.getColorScheme().errorText(e.getMessage()));
      if (!UnmatchedArgumentException.printSuggestions(e, err)) {
        err.println(
            "Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
      }
      err.flush();
      return USAGE;
    }
  }
}
