package dev.gatehouse.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse run}: control plane, edge proxy, ext-authz and ratelimit in one process. */
@Command(
    name = "run",
    description = "Runs the control plane, edge proxy, ext-authz and ratelimit in one process.")
final class RunCommand extends PlannedCommand {
  @Mixin Options.Resources resources;
  @Mixin Options.Redis redis;
  @Mixin Options.EdgePorts edgePorts;
  @Mixin Options.AdminPort adminPort;
  @Mixin Options.RateLimitPort rateLimitPort;
  @Mixin Options.AuthzPorts authzPorts;
  @Mixin Options.ControlPlanePorts controlPlanePorts;

  RunCommand() {
    super("the all-in-one mode", 7);
  }
}
