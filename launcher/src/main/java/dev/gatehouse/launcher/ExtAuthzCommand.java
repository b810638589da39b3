package dev.gatehouse.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse ext-authz}: the external authorization service. */
@Command(
    name = "ext-authz",
    description = "Runs the ext_authz service (gRPC and HTTP): Filters and FilterPolicies.")
final class ExtAuthzCommand extends PlannedCommand {
  @Mixin Options.Resources resources;
  @Mixin Options.AuthzPorts authzPorts;

  ExtAuthzCommand() {
    super("the ext-authz service", 4);
  }
}
