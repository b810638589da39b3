package dev.gatehouse.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse edge-proxy}: the data plane, configured over xDS. */
@Command(
    name = "edge-proxy",
    description = "Runs the edge proxy, configured over xDS by a control plane.")
final class EdgeProxyCommand extends PlannedCommand {
  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      defaultValue = "localhost:18000",
      converter = HostPort.Converter.class,
      description = "The control plane's xDS (ADS) address.")
  HostPort xds;

  @Mixin Options.EdgePorts edgePorts;
  @Mixin Options.AdminPort adminPort;

  EdgeProxyCommand() {
    super("the edge proxy", 6);
  }
}
