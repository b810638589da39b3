package dev.gatehouse.launcher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gatehouse run}: control plane, edge proxy, ext-authz and ratelimit in one process. */
@Command(
    name = "run",
    description = {
      "Runs the control plane, edge proxy, ext-authz and ratelimit in one process, on their"
          + " default ports, and hot-reloads the configuration directory.",
      "Rate-limit counters live in memory unless --redis is given. Admin endpoints: the control"
          + " plane's on --admin-port, then ext-authz's, ratelimit's and the edge proxy's on the"
          + " three ports after it."
    })
final class RunCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin Options.Resources resources;
  @Mixin Flags flags;

  /** The all-in-one mode's ports and service options, shared with {@code gatehouse demo}. */
  static final class Flags {
    @Mixin Options.Redis redis;
    @Mixin Options.EdgePorts edgePorts;
    @Mixin Options.AdminPort adminPort;
    @Mixin Options.RateLimitPort rateLimitPort;
    @Mixin Options.AuthzPorts authzPorts;
    @Mixin Options.ControlPlanePorts controlPlanePorts;
    @Mixin Options.RateLimitService rateLimitService;

    AllInOne.Settings settings(CommandSpec spec, Options.Resources resources, Path dir) {
      if (!Files.exists(dir)) {
        throw new ParameterException(
            spec.commandLine(), "--config-dir: " + dir + ": no such file or directory");
      }
      return new AllInOne.Settings(
          dir,
          resources.ambassadorId(),
          edgePorts.httpPort(),
          edgePorts.httpsPort(),
          adminPort.adminPort(),
          controlPlanePorts.xdsPort(),
          controlPlanePorts.hazelcastPort(),
          authzPorts.grpcPort(),
          authzPorts.httpPort(),
          RateLimitCommand.serverOptions(
              spec,
              dir,
              java.util.List.of(),
              resources.ambassadorId(),
              redis,
              rateLimitPort.rateLimitPort(),
              rateLimitService));
    }
  }

  @Override
  public Integer call() {
    Path dir =
        resources
            .configDir()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(), "Missing required option: --config-dir=DIR"));
    AllInOne.Settings settings = flags.settings(spec, resources, dir);
    AllInOne all = start(spec, settings);
    if (all == null) {
      return Gatehouse.USAGE;
    }
    spec.commandLine().getOut().flush();
    UntilStopped.serve(all);
    return Gatehouse.OK;
  }

  /**
   * Starts everything and prints where it listens, once the edge proxy has its configuration (or
   * after 30 s, saying it has none); null, with the reason printed, when it cannot start.
   */
  static AllInOne start(CommandSpec spec, AllInOne.Settings settings) {
    String name = spec.qualifiedName();
    AllInOne all;
    try {
      all = AllInOne.start(settings);
    } catch (Exception e) {
      spec.commandLine().getErr().println(name + ": cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return null;
    }
    boolean ready;
    try {
      ready = all.awaitReady(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      all.close();
      Thread.currentThread().interrupt();
      return null;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s: edge proxy on http://localhost:%d (HTTPS %d), watching %s%n",
        name, settings.httpPort(), settings.httpsPort(), settings.configDir());
    out.printf(
        "%s: diag http://localhost:%d/ambassador/v0/diag/, xDS %d, ext-authz gRPC %d,"
            + " ratelimit gRPC %d (counters in %s)%n",
        name,
        all.controlPlane().adminPort(),
        all.controlPlane().xds().actualPort(),
        all.authz().grpcPort(),
        all.rateLimit().grpcPort(),
        settings.rateLimit().redis() == null ? "memory" : "redis");
    if (!ready) {
      out.printf(
          "%s: the edge proxy is not serving after 30 s: is port %d in use, or is the"
              + " configuration rejected? The log and the diag page say which.%n",
          name, settings.httpPort());
    }
    out.flush();
    return all;
  }
}
