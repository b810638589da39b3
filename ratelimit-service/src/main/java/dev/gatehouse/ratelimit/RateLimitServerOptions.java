package dev.gatehouse.ratelimit;

import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the ratelimit service is started with; the launcher builds it from flags.
 *
 * @param configDir the directory (or file) of envoyproxy/ratelimit files and RateLimit resources
 * @param redis null: counters in memory
 * @param host the address the gRPC listener binds
 * @param grpcPort 0 picks a free port
 * @param tlsCert PEM certificate chain for h2 (TLS); null serves h2c only
 * @param tlsKey PEM private key for {@code tlsCert}
 * @param eventLoops gRPC listener instances, one per event loop
 * @param pollInterval how often the config directory is checked
 */
public record RateLimitServerOptions(
    Path configDir,
    String ambassadorId,
    RedisSettings redis,
    String host,
    int grpcPort,
    Path tlsCert,
    Path tlsKey,
    LimiterSettings limiter,
    int eventLoops,
    Duration pollInterval) {

  public RateLimitServerOptions {
    Objects.requireNonNull(configDir, "configDir");
    Objects.requireNonNull(limiter, "limiter");
    ambassadorId = ambassadorId == null ? "default" : ambassadorId;
    host = host == null ? "0.0.0.0" : host;
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException("ratelimit-port: " + grpcPort + " (expected: 0..65535)");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException(
          "ratelimit-tls-cert, ratelimit-tls-key: only one given (expected: both or neither)");
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event loops: " + eventLoops + " (expected: >= 1)");
    }
    pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
  }

  /** Options with the defaults: in memory, port 8081 on all addresses, h2c. */
  public static RateLimitServerOptions defaults(Path configDir) {
    return new RateLimitServerOptions(
        configDir,
        "default",
        null,
        "0.0.0.0",
        8081,
        null,
        null,
        LimiterSettings.DEFAULTS,
        Runtime.getRuntime().availableProcessors(),
        Duration.ofMillis(100));
  }
}
