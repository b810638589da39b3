package dev.gatehouse.launcher;

import dev.gatehouse.ratelimit.RateLimitServer;
import dev.gatehouse.ratelimit.RateLimitServerOptions;
import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gatehouse ratelimit}: the global rate limit service. */
@Command(
    name = "ratelimit",
    description = "Runs the rate limit service (gRPC RLS v3), with counters in Redis or memory.")
final class RateLimitCommand implements Callable<Integer> {
  @Mixin Options.Resources resources;
  @Mixin Options.Redis redis;
  @Mixin Options.RateLimitPort rateLimitPort;
  @Mixin Options.AdminPort adminPort;
  @Mixin Options.RateLimitService service;
  @Mixin Options.ControlPlaneSource controlPlaneSource;

  @Spec private CommandSpec spec;

  /** Released to stop a running service: by the JVM's shutdown, or by a test. */
  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    List<String> controlPlane = controlPlaneSource.addresses();
    if (!controlPlane.isEmpty() && resources.configDir().isPresent()) {
      throw new ParameterException(
          spec.commandLine(),
          "--control-plane: given with --config-dir (expected: one source of configuration)");
    }
    if (controlPlane.isEmpty() && resources.configDir().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--config-dir: missing (expected: the directory of rate limit configuration, or"
              + " --control-plane HOST:PORT)");
    }
    RateLimitServerOptions options =
        serverOptions(
            spec,
            resources.configDir().orElse(null),
            controlPlane,
            resources.ambassadorId(),
            redis,
            rateLimitPort.rateLimitPort(),
            service);
    Vertx vertx = Vertx.vertx();
    RateLimitServer server;
    HttpServer admin;
    try {
      server = RateLimitServer.start(vertx, options).await(30, TimeUnit.SECONDS);
      admin =
          vertx
              .createHttpServer()
              .requestHandler(server.adminRouter())
              .listen(adminPort.adminPort())
              .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      spec.commandLine().getErr().println("gatehouse ratelimit: cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.INVALID_CONFIGURATION;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "gatehouse ratelimit: gRPC on port %d, admin on port %d, counters in %s%n",
            server.grpcPort(), admin.actualPort(), options.redis() == null ? "memory" : "redis");
    spec.commandLine().getOut().flush();
    UntilStopped.serve(
        () -> {
          server.close().await(10, TimeUnit.SECONDS);
          vertx.close().await(10, TimeUnit.SECONDS);
        },
        stop);
    return Gatehouse.OK;
  }

  /** Stops a running {@link #call()}. */
  void stop() {
    stop.countDown();
  }

  /**
   * The service's options from the command line's; also used by {@code gatehouse run}. Mistakes are
   * {@link ParameterException}s naming the option.
   */
  static RateLimitServerOptions serverOptions(
      CommandSpec spec,
      Path configDir,
      List<String> controlPlane,
      String ambassadorId,
      Options.Redis redis,
      int port,
      Options.RateLimitService s) {
    FailureMode mode =
        switch (s.onStoreError()) {
          case "error" -> FailureMode.ERROR;
          case "allow" -> FailureMode.ALLOW;
          case "deny" -> FailureMode.DENY;
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "--on-store-error: " + s.onStoreError() + " (expected: error, allow or deny)");
        };
    if (s.localCacheSize() < 0) {
      throw new ParameterException(
          spec.commandLine(), "--local-cache-size: " + s.localCacheSize() + " (expected: >= 0)");
    }
    try {
      LimiterSettings limiter =
          new LimiterSettings(
              mode,
              s.storeTimeout(),
              s.responseHeaders(),
              s.localCacheSize(),
              5,
              Duration.ofMillis(500));
      return new RateLimitServerOptions(
          configDir,
          ambassadorId,
          redisSettings(spec, redis, s),
          "0.0.0.0",
          port,
          s.tlsCert().orElse(null),
          s.tlsKey().orElse(null),
          limiter,
          Runtime.getRuntime().availableProcessors(),
          Duration.ofMillis(100),
          controlPlane);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static RedisSettings redisSettings(
      CommandSpec spec, Options.Redis redis, Options.RateLimitService s) {
    List<URI> nodes;
    try {
      nodes = s.redisNodes();
    } catch (picocli.CommandLine.TypeConversionException e) {
      throw new ParameterException(spec.commandLine(), "--redis-nodes: " + e.getMessage());
    }
    if (redis.redis().isEmpty()) {
      if (!nodes.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "--redis-nodes: given without --redis (expected: --redis URL as well)");
      }
      return null;
    }
    RedisSettings.Mode mode =
        switch (s.redisMode()) {
          case "standalone" -> RedisSettings.Mode.STANDALONE;
          case "sentinel" -> RedisSettings.Mode.SENTINEL;
          case "cluster" -> RedisSettings.Mode.CLUSTER;
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "--redis-mode: "
                      + s.redisMode()
                      + " (expected: standalone, sentinel or cluster)");
        };
    List<URI> urls = new ArrayList<>();
    urls.add(redis.redis().get());
    urls.addAll(nodes);
    return new RedisSettings(
        urls, mode, s.sentinelMaster().orElse(null), s.keyPrefix(), s.insecureTls(), s.poolSize());
  }
}
