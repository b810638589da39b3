package dev.gatehouse.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse control-plane}: watches resources, compiles them, serves xDS. */
@Command(
    name = "control-plane",
    description =
        "Watches resources (a directory or Kubernetes), compiles them and serves them over xDS.")
final class ControlPlaneCommand extends PlannedCommand {
  @Mixin Options.Resources resources;

  @Option(
      names = "--kubernetes",
      description = "Watch getambassador.io resources in the Kubernetes cluster.")
  boolean kubernetes;

  @Mixin Options.AdminPort adminPort;
  @Mixin Options.ControlPlanePorts controlPlanePorts;

  ControlPlaneCommand() {
    super("the control plane", 5);
  }
}
