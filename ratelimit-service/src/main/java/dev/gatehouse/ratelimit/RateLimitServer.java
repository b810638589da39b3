package dev.gatehouse.ratelimit;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.grpc.UnaryGrpcServer;
import dev.gatehouse.ratelimit.admin.AdminRoutes;
import dev.gatehouse.ratelimit.admin.RateLimitMetrics;
import dev.gatehouse.ratelimit.config.ControlPlaneConfigSource;
import dev.gatehouse.ratelimit.config.DirectoryConfigSource;
import dev.gatehouse.ratelimit.config.RateLimitConfigSource;
import dev.gatehouse.ratelimit.grpc.RateLimitGrpcService;
import dev.gatehouse.ratelimit.limiter.RateLimiter;
import dev.gatehouse.ratelimit.store.MemoryStore;
import dev.gatehouse.ratelimit.store.RateLimitStore;
import dev.gatehouse.ratelimit.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ratelimit service: the configuration source, the store, the limiter, and the gRPC listener
 * ({@link UnaryGrpcServer}, its connections spread over {@code eventLoops} event loops). The admin
 * endpoints are a {@link Router} for the caller to mount on its admin port.
 */
public final class RateLimitServer {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitServer.class);

  private final Vertx vertx;
  private final RateLimitServerOptions options;
  private final RateLimitStore store;
  private final RateLimitConfigSource source;
  private final RateLimitMetrics metrics = new RateLimitMetrics(1000);
  private final RateLimiter limiter;
  private final AtomicBoolean configured = new AtomicBoolean();
  private volatile List<ConfigError> configProblems = List.of();
  private final AtomicInteger port = new AtomicInteger();
  private volatile UnaryGrpcServer grpc;
  private volatile boolean listening;

  private RateLimitServer(
      Vertx vertx,
      RateLimitServerOptions options,
      RateLimitStore store,
      RateLimitConfigSource source,
      LongSupplier nanoClock) {
    this.vertx = vertx;
    this.options = options;
    this.store = store;
    this.source = source;
    this.limiter = new RateLimiter(vertx, store, options.limiter(), metrics, nanoClock);
  }

  /** Starts with the store and config source the options describe. */
  public static Future<RateLimitServer> start(Vertx vertx, RateLimitServerOptions options) {
    RateLimitStore store =
        options.redis() == null ? new MemoryStore() : new RedisStore(vertx, options.redis(), null);
    RateLimitConfigSource source =
        options.controlPlane().isEmpty()
            ? new DirectoryConfigSource(
                options.configDir(), options.ambassadorId(), options.pollInterval())
            : new ControlPlaneConfigSource(
                options.controlPlane(),
                options.ambassadorId(),
                RateLimitServerOptions.CONTROL_PLANE_FIRST_WAIT);
    return start(vertx, options, store, source, System::nanoTime);
  }

  /**
   * Starts with the given store, config source and monotonic clock (tests use their own clock,
   * which the local over-limit cache then follows too).
   */
  public static Future<RateLimitServer> start(
      Vertx vertx,
      RateLimitServerOptions options,
      RateLimitStore store,
      RateLimitConfigSource source,
      LongSupplier nanoClock) {
    RateLimitServer server = new RateLimitServer(vertx, options, store, source, nanoClock);
    return server.startAll().map(server);
  }

  private Future<Void> startAll() {
    // The first load reads files: off the event loop, like every later one (the watcher's thread).
    return vertx
        .executeBlocking(
            () -> {
              source.start(
                  update -> {
                    limiter.apply(update.config());
                    configProblems = update.problems();
                    metrics.configLoad(update.config().version(), update.errorCount());
                    configured.set(true);
                  });
              return null;
            },
            false)
        .compose(
            loaded ->
                // A store that is down now must not stop the service: it serves per the failure
                // mode until the store answers.
                store
                    .prepare()
                    .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
                    .otherwise(
                        failure -> {
                          LOG.warn(
                              "store {} not ready at start ({}); serving per on_store_error until"
                                  + " it answers",
                              store.name(),
                              failure.getMessage());
                          return null;
                        }))
        .compose(
            prepared ->
                UnaryGrpcServer.listen(
                    vertx,
                    new UnaryGrpcServer.Options(
                        options.host(), options.grpcPort(), options.eventLoops(), tls()),
                    List.of(RateLimitGrpcService.method(limiter))))
        .onSuccess(
            listener -> {
              grpc = listener;
              port.set(listener.port());
              listening = true;
              LOG.info(
                  "ratelimit listening: port={} tls={} store={} on_store_error={} budget_ms={}",
                  port.get(),
                  options.tlsCert() != null,
                  store.name(),
                  options.limiter().onStoreError().name().toLowerCase(java.util.Locale.ROOT),
                  options.limiter().storeBudget().toMillis());
            })
        .mapEmpty();
  }

  private PemKeyCertOptions tls() {
    return options.tlsCert() == null
        ? null
        : new PemKeyCertOptions()
            .setCertPath(options.tlsCert().toString())
            .setKeyPath(options.tlsKey().toString());
  }

  /** The problems of the configuration served now (file, line, field), errors and warnings. */
  public List<ConfigError> configProblems() {
    return configProblems;
  }

  /** The port the gRPC listener is bound to. */
  public int grpcPort() {
    return port.get();
  }

  public RateLimiter limiter() {
    return limiter;
  }

  public RateLimitMetrics metrics() {
    return metrics;
  }

  /** {@code /metrics}, {@code /ready} and {@code /live}, to mount on the admin port. */
  public Router adminRouter() {
    return AdminRoutes.router(
        vertx,
        metrics,
        () ->
            new AdminRoutes.Readiness(
                configured.get() && listening,
                new JsonObject()
                    .put("config_version", limiter.config().version())
                    .put("store", store.name())
                    .put("store_breaker_open", limiter.storeBreakerOpen())
                    .put(
                        "config_problems",
                        new JsonArray(
                            configProblems.stream().map(ConfigError::toString).toList()))));
  }

  /** Stops listening, watching and probing, and closes the store. */
  public Future<Void> close() {
    source.close();
    limiter.close();
    UnaryGrpcServer listener = grpc;
    return (listener == null ? Future.<Void>succeededFuture() : listener.close())
        .eventually(store::close);
  }
}
