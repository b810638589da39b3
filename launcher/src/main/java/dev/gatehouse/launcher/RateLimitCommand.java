package dev.gatehouse.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse ratelimit}: the global rate limit service. */
@Command(
    name = "ratelimit",
    description = "Runs the rate limit service (gRPC RLS v3), with counters in Redis or memory.")
final class RateLimitCommand extends PlannedCommand {
  @Mixin Options.Resources resources;
  @Mixin Options.Redis redis;
  @Mixin Options.RateLimitPort rateLimitPort;

  RateLimitCommand() {
    super("the ratelimit service", 3);
  }
}
