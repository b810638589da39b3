package dev.gatehouse.authz;

import dev.gatehouse.authz.admin.AdminServer;
import dev.gatehouse.authz.admin.AuthzMetrics;
import dev.gatehouse.authz.apikey.SecretSource;
import dev.gatehouse.authz.grpc.AuthorizationServer;
import dev.gatehouse.authz.policy.Policy;
import dev.gatehouse.authz.policy.PolicyCompiler;
import dev.gatehouse.authz.policy.PolicyEngine;
import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.grpc.UnaryGrpcServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ext-authz service: gRPC ext_authz ({@link UnaryGrpcServer}) and the HTTP mode on {@code
 * eventLoops} event loops, the admin endpoints, and the configuration source feeding Filters and
 * FilterPolicies into a {@link PolicyEngine}. {@link #start} blocks until it serves; never call it
 * on an event loop.
 */
public final class ExtAuthzService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExtAuthzService.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How to run: listen on {@code host}; a port of 0 picks a free one, a negative port disables that
   * listener (HTTP mode, admin); {@code eventLoops} event loops serve the gRPC connections and the
   * HTTP mode.
   */
  public record Settings(
      ConfigSource config,
      SecretSource secrets,
      String host,
      int grpcPort,
      int httpPort,
      int adminPort,
      int eventLoops,
      Duration outboundTimeout,
      AuthzRuntime.JwksTimings jwks,
      List<FilterRegistry.FilterFactory> extraFilters,
      List<Interceptor> interceptors) {
    public Settings {
      if (eventLoops < 1) {
        throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
      }
      extraFilters = List.copyOf(extraFilters);
      interceptors = List.copyOf(interceptors);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AuthzMetrics metrics = new AuthzMetrics(registry);
  // Fail closed until the first configuration is applied (a control plane may take a while).
  private final AtomicReference<Policy> policy =
      new AtomicReference<>(Policy.denyingAll("no configuration received yet"));
  private final AtomicReference<String> pathPrefix = new AtomicReference<>("");
  private final AuthzRuntime runtime;
  private final PolicyEngine engine;
  private final List<String> deployments = new ArrayList<>();
  private volatile boolean ready;
  private volatile boolean configured;
  private UnaryGrpcServer grpc;
  private int grpcPort;
  private int httpPort = -1;
  private HttpServer admin;

  private ExtAuthzService(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.runtime =
        new AuthzRuntime(vertx, settings.outboundTimeout(), Clock.systemUTC(), settings.jwks());
    this.engine = new PolicyEngine(policy::get, metrics);
  }

  /** Starts serving; returns once the first configuration is loaded and the listeners are up. */
  public static ExtAuthzService start(Vertx vertx, Settings settings) {
    ExtAuthzService service = new ExtAuthzService(vertx, settings);
    try {
      service.startServing();
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void startServing() {
    FilterRegistry filters =
        new FilterRegistry(runtime, settings.secrets(), settings.extraFilters());
    settings.config().start(config -> apply(config, filters));
    grpc =
        await(
            UnaryGrpcServer.listen(
                vertx,
                new UnaryGrpcServer.Options(
                    settings.host(), settings.grpcPort(), settings.eventLoops(), null),
                List.of(AuthorizationServer.method(this::check))));
    grpcPort = grpc.port();
    if (settings.httpPort() >= 0) {
      // All instances at once with the requested port: Vert.x then shares the listener between
      // them (port 0 included, which becomes one random port for all).
      List<ServingVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
      deployments.add(
          await(
              vertx.deployVerticle(
                  () -> {
                    ServingVerticle verticle =
                        new ServingVerticle(
                            settings.host(), settings.httpPort(), this::check, pathPrefix::get);
                    instances.add(verticle);
                    return verticle;
                  },
                  new DeploymentOptions().setInstances(settings.eventLoops()))));
      httpPort = instances.get(0).httpPort();
    }
    if (settings.adminPort() >= 0) {
      admin =
          await(
              AdminServer.start(
                  vertx, settings.host(), settings.adminPort(), registry, this::isReady));
    }
    ready = true;
    LOG.info(
        "ext-authz serving gRPC on {}:{}, HTTP mode on {}, admin on {}",
        settings.host(),
        grpcPort,
        httpPort,
        admin == null ? "-" : admin.actualPort());
  }

  // The resources applied last (calls come from one watcher or subscription thread at a time).
  private volatile LoadResult lastApplied;

  private void apply(LoadResult config, FilterRegistry filters) {
    // The watcher hands over the same resources again when only another file changed (API keys
    // are read again below). Said once: a log written into the watched directory would otherwise
    // be the next change, five times a second.
    boolean again = config == lastApplied;
    lastApplied = config;
    for (ConfigError problem : again ? List.<ConfigError>of() : config.problems()) {
      if (problem.isError()) {
        LOG.error("{}", problem);
      } else {
        LOG.warn("{}", problem);
      }
    }
    Map<String, Filter> compiled = filters.compile(config);
    List<String> unsafe = unservedPolicySources(config);
    if (unsafe.isEmpty()) {
      policy.set(PolicyCompiler.compile(config, compiled));
    } else {
      // A FilterPolicy we could not read might have protected anything: deny everything until
      // it loads, rather than let requests through as if it did not exist.
      if (!again) {
        LOG.error("denying every request until these load: {}", unsafe);
      }
      policy.set(Policy.denyingAll("configuration has errors"));
    }
    pathPrefix.set(
        config.ofKind(Kind.AUTH_SERVICE, AuthService.class).stream()
            .findFirst()
            .map(r -> r.spec().pathPrefix())
            .orElse(""));
    configured = true;
    LOG.atLevel(again ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO)
        .log("configuration applied: {}", config.summary());
  }

  /**
   * Rejected FilterPolicies, and rejected files, of which no version is being served: whatever they
   * would protect is unknown.
   */
  private static List<String> unservedPolicySources(LoadResult config) {
    java.util.Set<String> servedIds = new java.util.HashSet<>();
    java.util.Set<String> servedFiles = new java.util.HashSet<>();
    config
        .resources()
        .forEach(
            r -> {
              servedIds.add(r.id());
              servedFiles.add(r.source().origin());
            });
    List<String> unsafe = new ArrayList<>();
    for (LoadResult.Rejected rejected : config.rejected()) {
      boolean file = rejected.kind().equals("file") && !servedFiles.contains(rejected.id());
      boolean policy =
          rejected.kind().equals(Kind.FILTER_POLICY.yamlName())
              && !servedIds.contains(rejected.id());
      if (file || policy) {
        unsafe.add(rejected.id());
      }
    }
    return unsafe;
  }

  /** Decides about one request; the entry point of both protocols. */
  public Future<Verdict> check(AuthzRequest request) {
    long started = System.nanoTime();
    Future<Verdict> intercepted = null;
    for (Interceptor interceptor : settings.interceptors()) {
      intercepted = interceptor.intercept(request);
      if (intercepted != null) {
        break;
      }
    }
    return (intercepted != null ? intercepted : engine.check(request))
        .onSuccess(verdict -> metrics.checked(verdict, System.nanoTime() - started));
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  /** Listening, with a configuration applied. */
  public boolean isReady() {
    return ready && configured;
  }

  @Override
  public void close() {
    ready = false;
    settings.config().close();
    if (grpc != null) {
      quietly(grpc.close());
    }
    for (String id : deployments) {
      quietly(vertx.undeploy(id));
    }
    if (admin != null) {
      quietly(admin.close());
    }
    runtime.close();
  }

  private static void quietly(Future<?> closing) {
    try {
      closing.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.warn("closing: {}", e.toString());
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("ext-authz did not start within " + START_TIMEOUT, e);
    }
  }
}
