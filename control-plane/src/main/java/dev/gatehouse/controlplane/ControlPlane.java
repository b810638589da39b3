package dev.gatehouse.controlplane;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.watch.ConfigWatcher;
import dev.gatehouse.controlplane.admin.AdminExtension;
import dev.gatehouse.controlplane.admin.AdminServer;
import dev.gatehouse.controlplane.admin.ControlPlaneMetrics;
import dev.gatehouse.controlplane.compile.ClusterDirectory;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.IncrementalCompiler;
import dev.gatehouse.controlplane.kubernetes.KubernetesOptions;
import dev.gatehouse.controlplane.kubernetes.KubernetesSource;
import dev.gatehouse.controlplane.kubernetes.KubernetesStatus;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.controlplane.replicas.ServiceConfigs;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import dev.gatehouse.controlplane.xds.XdsServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of one process: watches the config directory (or Kubernetes), compiles each new
 * configuration on the source's thread, publishes it to the xDS server (on its Vert.x context) and
 * to the listeners (Hazelcast publication), and serves the admin endpoints. A configuration that
 * fails to compile is reported and the last good snapshot keeps serving.
 */
public final class ControlPlane {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final Vertx vertx;
  private final ControlPlaneOptions options;
  private final XdsCallbacks callbacks = new XdsCallbacks();
  private final XdsServer xds;
  private final ControlPlaneMetrics metrics;
  private final AdminServer admin;
  private final IncrementalCompiler compiler;
  private final List<Consumer<ConfigState>> listeners = new CopyOnWriteArrayList<>();
  private volatile ConfigState state;
  private volatile boolean ready;
  private ConfigWatcher watcher;
  private final KubernetesSource kubernetes;
  private final KubernetesStatus status;
  private volatile Replicas replicas;

  public ControlPlane(Vertx vertx, ControlPlaneOptions options) {
    this(vertx, options, null, null);
  }

  /**
   * A control plane that reads Kubernetes through {@code client} instead of a directory; the leader
   * writes statuses.
   */
  public ControlPlane(
      Vertx vertx,
      ControlPlaneOptions options,
      KubernetesOptions kubernetesOptions,
      KubernetesClient client) {
    this.vertx = vertx;
    this.options = options;
    this.kubernetes =
        client == null
            ? null
            : new KubernetesSource(
                client,
                kubernetesOptions,
                options.ambassadorId(),
                snapshot -> apply(snapshot.loaded(), snapshot.directory()));
    this.status =
        kubernetes == null ? null : new KubernetesStatus(kubernetes, options.ambassadorId());
    if (kubernetes != null) {
      onApplied(
          state -> {
            if (replicas == null || replicas.isLeader()) {
              status.write(state);
            }
          });
    }
    this.xds = new XdsServer(vertx, callbacks);
    this.metrics = new ControlPlaneMetrics(callbacks, () -> state);
    this.admin = new AdminServer(vertx, this, metrics);
    this.compiler = new IncrementalCompiler(options.compiler());
  }

  /** Adds a consumer of every applied configuration, called on the watcher's thread. */
  public ControlPlane onApplied(Consumer<ConfigState> listener) {
    listeners.add(listener);
    return this;
  }

  /** Adds routes and diag-page content to the admin port; call before {@link #start()}. */
  public ControlPlane extendAdmin(AdminExtension extension) {
    admin.extend(extension);
    return this;
  }

  /** Starts the servers, loads the configuration once, then watches it. */
  public Future<ControlPlane> start() {
    return xds.listen(options.bindHost(), options.xdsPort())
        .compose(x -> admin.listen(options.bindHost(), options.adminPort()))
        .compose(a -> startReplicas())
        .compose(
            a ->
                vertx.executeBlocking(
                    () -> {
                      if (kubernetes != null) {
                        kubernetes.start();
                        return this;
                      }
                      watcher =
                          ConfigWatcher.builder(
                                  options.configDir(),
                                  loaded -> apply(loaded, ClusterDirectory.NONE))
                              .ambassadorId(options.ambassadorId())
                              .pollInterval(options.pollInterval())
                              .quietPeriod(options.quietPeriod())
                              .build();
                      watcher.start();
                      return this;
                    }));
  }

  /** Joins the other replicas (a blocking Hazelcast start, so on a worker). */
  private Future<Void> startReplicas() {
    if (options.replicas() == null) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(() -> Replicas.start(options.replicas()))
        .map(
            started -> {
              replicas = started;
              if (status != null) {
                // A new leader writes at once what its predecessor may have left undone.
                started.onLeading(
                    () -> {
                      ConfigState now = state;
                      if (now != null) {
                        status.write(now);
                      }
                    });
              }
              ServiceConfigs services =
                  kubernetes != null
                      ? new ServiceConfigs(kubernetes::document)
                      : new ServiceConfigs(options.configDir());
              onApplied(state -> started.publish(services.compile(state.loaded())));
              return null;
            });
  }

  /** Compiles and publishes one configuration; runs on the source's thread. */
  private void apply(LoadResult loaded, ClusterDirectory directory) {
    long started = System.nanoTime();
    CompiledConfig compiled;
    try {
      compiled = compiler.compile(loaded, directory);
    } catch (RuntimeException e) {
      // A compiler bug must not take the served configuration away.
      LOG.error("compiling the configuration failed; the last good one keeps serving", e);
      metrics.failed();
      return;
    }
    long compiledAt = System.nanoTime();
    // The watcher hands over the same resources again when only a file that is not YAML changed.
    // Nothing to say then unless the result changed: a log written into the watched directory
    // would otherwise be the next change, thirty times a second.
    boolean sameResources = state != null && state.loaded() == loaded;
    ConfigState next =
        new ConfigState(
            state == null ? 1 : state.generation() + 1, loaded, compiled, Instant.now());
    state = next;
    boolean changed;
    long publishedAt;
    try {
      changed = xds.publisher().publish(compiled).await(30, TimeUnit.SECONDS);
      publishedAt = System.nanoTime();
    } catch (Exception e) {
      LOG.error("publishing the configuration failed", e);
      metrics.failed();
      return;
    }
    // Ready from the first published snapshot on: the servers listen before the first load.
    ready = true;
    for (Consumer<ConfigState> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.error("a configuration listener failed", e);
      }
    }
    metrics.applied(changed, System.nanoTime() - started);
    boolean quiet = sameResources && !changed;
    if (!quiet) {
      loaded.problems().forEach(p -> LOG.warn("{}", p));
      compiled.problems().forEach(p -> LOG.warn("{}", p));
    }
    LOG.atLevel(quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO)
        .log(
            "configuration {} {} (compiled in {} ms, published in {} ms): {}; {} routes ({}), {}"
                + " clusters",
            next.generation(),
            changed ? "published" : "unchanged",
            TimeUnit.NANOSECONDS.toMillis(compiledAt - started),
            TimeUnit.NANOSECONDS.toMillis(publishedAt - compiledAt),
            loaded.summary(),
            compiled.routeTable().size(),
            compiler.lastStatistics(),
            compiled.clusters().size());
  }

  public ConfigState state() {
    return state;
  }

  public boolean ready() {
    return ready;
  }

  public XdsServer xds() {
    return xds;
  }

  public XdsCallbacks xdsCallbacks() {
    return callbacks;
  }

  /** The Hazelcast membership, or null when running without it. */
  public Replicas replicas() {
    return replicas;
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public Future<Void> close() {
    ready = false;
    if (watcher != null) {
      watcher.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    Future<Void> left =
        replicas == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(
                () -> {
                  replicas.close();
                  return null;
                });
    return Future.join(xds.close(), admin.close(), left).mapEmpty();
  }
}
