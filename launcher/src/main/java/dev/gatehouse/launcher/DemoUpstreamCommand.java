package dev.gatehouse.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse demo-upstream}: the demo's quote service and token issuer, on their own. */
@Command(
    name = "demo-upstream",
    description = {
      "Runs the demo's upstreams: a quote-of-the-day service (any path answers a JSON quote) and"
          + " a token issuer for the quickstart's JWT Filter (GET /demo/jwks, POST /demo/token).",
      "For demos only: the issuer signs a token for anyone who asks."
    })
final class DemoUpstreamCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9080",
      converter = Options.PortConverter.class,
      description = "The quote service.")
  int port;

  @Option(
      names = "--canary-port",
      paramLabel = "PORT",
      defaultValue = "9081",
      converter = Options.PortConverter.class,
      description = "A second quote service, the quickstart's canary (0: none).")
  int canaryPort;

  @Option(
      names = "--issuer-port",
      paramLabel = "PORT",
      defaultValue = "9090",
      converter = Options.PortConverter.class,
      description = "The token issuer (0: none).")
  int issuerPort;

  @Override
  public Integer call() {
    List<Integer> quotePorts = new ArrayList<>(List.of(port));
    if (canaryPort != 0) {
      quotePorts.add(canaryPort);
    }
    DemoUpstream demo;
    try {
      demo = DemoUpstream.start(quotePorts, issuerPort == 0 ? -1 : issuerPort);
    } catch (Exception e) {
      spec.commandLine().getErr().println("gatehouse demo-upstream: cannot start: " + e);
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    spec.commandLine()
        .getOut()
        .printf("gatehouse demo-upstream: listening on 127.0.0.1 ports %s%n", demo.ports());
    spec.commandLine().getOut().flush();
    UntilStopped.serve(demo);
    return Gatehouse.OK;
  }
}
