package dev.gatehouse.authz;

import dev.gatehouse.authz.apikey.FileSecretSource;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts the service on free loopback ports for a test. */
public final class Services {
  private Services() {}

  /** Quick JWKS timings, so that refresh and rotation happen within a test. */
  public static final AuthzRuntime.JwksTimings FAST_JWKS =
      new AuthzRuntime.JwksTimings(
          Duration.ofMillis(300), Duration.ofHours(1), Duration.ofMillis(200));

  public static ExtAuthzService start(Vertx vertx, Path configDir) {
    return ExtAuthzService.start(vertx, settings(configDir, List.of()));
  }

  public static ExtAuthzService.Settings settings(
      Path configDir, List<FilterRegistry.FilterFactory> extra) {
    return settings(configDir, extra, List.of());
  }

  public static ExtAuthzService.Settings settings(
      Path configDir, List<FilterRegistry.FilterFactory> extra, List<Interceptor> interceptors) {
    return new ExtAuthzService.Settings(
        new DirectoryConfigSource(configDir, "default", Duration.ofMillis(50)),
        new FileSecretSource(configDir),
        "127.0.0.1",
        0,
        0,
        0,
        1,
        Duration.ofSeconds(2),
        FAST_JWKS,
        extra,
        interceptors);
  }
}
