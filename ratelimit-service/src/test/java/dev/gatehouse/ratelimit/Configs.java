package dev.gatehouse.ratelimit;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.ratelimit.config.ConfigAssembler;
import dev.gatehouse.ratelimit.config.EnvoyConfigLoader;
import dev.gatehouse.ratelimit.config.RateLimitConfig;
import java.util.concurrent.atomic.AtomicLong;

/** Configurations for tests, from envoyproxy/ratelimit YAML that must load without problems. */
public final class Configs {
  private static final AtomicLong VERSION = new AtomicLong();

  private Configs() {}

  /** One configuration from one or more files' text. */
  public static RateLimitConfig envoy(String... files) {
    ConfigAssembler assembler = new ConfigAssembler();
    for (int i = 0; i < files.length; i++) {
      EnvoyConfigLoader.FileResult file = EnvoyConfigLoader.parse(files[i], "test" + i + ".yaml");
      if (!file.problems().isEmpty()) {
        throw new AssertionError(
            "test config has problems: "
                + file.problems().stream().map(ConfigError::toString).toList());
      }
      assembler.add(file);
    }
    return assembler.build(VERSION.incrementAndGet());
  }
}
