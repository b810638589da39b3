package dev.gatehouse.ratelimit;

import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the ratelimit service is started with; the launcher builds it from flags.
 *
 * @param configDir the directory (or file) of envoyproxy/ratelimit files and RateLimit resources;
 *     null when the configuration comes from the control plane
 * @param redis null: counters in memory
 * @param host the address the gRPC listener binds
 * @param grpcPort 0 picks a free port
 * @param tlsCert PEM certificate chain for h2 (TLS); null serves h2c only
 * @param tlsKey PEM private key for {@code tlsCert}
 * @param eventLoops event loops serving the gRPC connections (each connection stays on one)
 * @param pollInterval how often the config directory is checked
 * @param controlPlane control-plane members ({@code host:port}) to take the configuration from, as
 *     a Hazelcast client, instead of {@code configDir}; empty: {@code configDir}
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
    Duration pollInterval,
    List<String> controlPlane) {

  /** How long start-up waits for the control plane's first configuration before serving. */
  public static final Duration CONTROL_PLANE_FIRST_WAIT = Duration.ofSeconds(10);

  public RateLimitServerOptions {
    controlPlane = controlPlane == null ? List.of() : List.copyOf(controlPlane);
    if ((configDir == null) == controlPlane.isEmpty()) {
      throw new IllegalArgumentException(
          "config-dir, control-plane: "
              + (configDir == null ? "neither" : "both")
              + " given (expected: exactly one)");
    }
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

  /** Options reading {@code configDir}, as before the control plane could feed the service. */
  public RateLimitServerOptions(
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
    this(
        configDir,
        ambassadorId,
        redis,
        host,
        grpcPort,
        tlsCert,
        tlsKey,
        limiter,
        eventLoops,
        pollInterval,
        List.of());
  }

  /** The same options, taking the configuration from the control plane at {@code addresses}. */
  public RateLimitServerOptions withControlPlane(List<String> addresses) {
    return new RateLimitServerOptions(
        null,
        ambassadorId,
        redis,
        host,
        grpcPort,
        tlsCert,
        tlsKey,
        limiter,
        eventLoops,
        pollInterval,
        addresses);
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
        Duration.ofMillis(100),
        List.of());
  }
}
