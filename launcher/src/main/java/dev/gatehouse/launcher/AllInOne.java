package dev.gatehouse.launcher;

import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.diagnostics.Diagnostics;
import dev.gatehouse.diagnostics.DiagnosticsOptions;
import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import dev.gatehouse.ratelimit.RateLimitServer;
import dev.gatehouse.ratelimit.RateLimitServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The all-in-one mode: the control plane, the rate limit service, the ext_authz service and the
 * edge proxy in one process and one Vert.x instance (one event loop per core), each on its usual
 * port. The control plane is the one Hazelcast member (on loopback); ext-authz joins it as a client
 * when an OAuth2 Filter first needs sessions. The services read the same directory as the control
 * plane.
 *
 * <p>Admin endpoints: the control plane's on {@code adminPort} (diag, metrics), then ext-authz's,
 * ratelimit's and the edge proxy's on the three ports after it (all on any free port when {@code
 * adminPort} is 0).
 */
final class AllInOne implements AutoCloseable {
  /** What to run; ports as the flags give them. */
  record Settings(
      Path configDir,
      String ambassadorId,
      int httpPort,
      int httpsPort,
      int adminPort,
      int xdsPort,
      int hazelcastPort,
      int authzGrpcPort,
      int authzHttpPort,
      RateLimitServerOptions rateLimit) {

    int adminPort(int offset) {
      return adminPort == 0 ? 0 : adminPort + offset;
    }
  }

  /**
   * One event loop per core, as nginx's {@code worker_processes auto} and Envoy's concurrency (not
   * Vert.x's default of two per core): the edge proxy's listeners and both services' gRPC listeners
   * then share the same loops, each carrying an even part of every request's work, and no more
   * threads compete for the cores than there are cores.
   */
  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors())));

  private final CloseStack started = new CloseStack();
  private ControlPlane controlPlane;
  private RateLimitServer rateLimit;
  private ExtAuthzService authz;
  private EdgeProxy proxy;

  private AllInOne() {}

  /** Starts all four, or none: a failure closes what had started and is rethrown. */
  static AllInOne start(Settings settings) throws Exception {
    AllInOne all = new AllInOne();
    try {
      all.startAll(settings);
      return all;
    } catch (Exception e) {
      all.close();
      throw e;
    }
  }

  private void startAll(Settings s) throws Exception {
    controlPlane =
        new ControlPlane(
            vertx,
            new ControlPlaneOptions(
                s.configDir(),
                s.ambassadorId(),
                "0.0.0.0",
                s.xdsPort(),
                s.adminPort(0),
                new CompilerOptions("0.0.0.0", s.httpPort(), s.httpsPort()),
                Duration.ofMillis(100),
                new ReplicaOptions(
                    Distribution.CLUSTER_NAME,
                    "127.0.0.1",
                    s.hazelcastPort(),
                    List.of(),
                    null,
                    Duration.ofHours(24))));
    // Explain, the developer portal (docs fetched through this process's own edge proxy) and the
    // edge proxy's endpoint states on the diag page.
    Diagnostics.install(
        vertx,
        controlPlane,
        new DiagnosticsOptions(
            URI.create("http://127.0.0.1:" + s.httpPort()),
            null,
            null,
            s.adminPort() == 0 ? null : URI.create("http://127.0.0.1:" + s.adminPort(3))));
    // Closed even when start fails half-way (Hazelcast up, the watcher not).
    started.push(() -> controlPlane.close().await(10, TimeUnit.SECONDS));
    controlPlane.start().await(60, TimeUnit.SECONDS);

    rateLimit = RateLimitServer.start(vertx, s.rateLimit()).await(30, TimeUnit.SECONDS);
    started.push(() -> rateLimit.close().await(10, TimeUnit.SECONDS));

    var rateLimitAdmin =
        vertx
            .createHttpServer()
            .requestHandler(rateLimit.adminRouter())
            .listen(s.adminPort(2))
            .await(30, TimeUnit.SECONDS);
    started.push(() -> rateLimitAdmin.close().await(10, TimeUnit.SECONDS));

    // ext-authz's sessions live in the control plane's member, reached as a client.
    ControlPlaneClient sessions =
        ControlPlaneClient.connect(List.of("127.0.0.1:" + s.hazelcastPort()), "gatehouse-run");
    started.push(sessions);
    OAuth2Module oauth2 = new OAuth2Module(OAuth2Module.hazelcast(vertx, sessions::hazelcast));
    authz =
        ExtAuthzService.start(
            vertx,
            ExtAuthzCommand.settings(
                new DirectoryConfigSource(s.configDir(), s.ambassadorId(), Duration.ofMillis(100)),
                new FileSecretSource(s.configDir()),
                s.authzGrpcPort(),
                s.authzHttpPort(),
                s.adminPort(1),
                oauth2));
    started.push(authz::close);

    proxy =
        new EdgeProxy(
            vertx,
            new EdgeProxyOptions(
                List.of(new EdgeProxyOptions.Address("127.0.0.1", controlPlane.xds().actualPort())),
                "gatehouse-run",
                "edge-proxy",
                "0.0.0.0",
                s.adminPort(3)));
    proxy.start().await(60, TimeUnit.SECONDS);
    started.push(() -> proxy.close().await(40, TimeUnit.SECONDS));
  }

  /** Waits until the edge proxy's listeners serve, each with its route table. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!serving()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private boolean serving() {
    if (!proxy.ready()) {
      return false;
    }
    Map<String, ?> routes = proxy.snapshot().routes();
    return proxy.listenerSpecs().values().stream()
        .flatMap(listener -> listener.chains().stream())
        .allMatch(
            chain -> chain.http() == null || routes.containsKey(chain.http().routeConfigName()));
  }

  ControlPlane controlPlane() {
    return controlPlane;
  }

  RateLimitServer rateLimit() {
    return rateLimit;
  }

  ExtAuthzService authz() {
    return authz;
  }

  EdgeProxy proxy() {
    return proxy;
  }

  /** Stops in reverse order: the edge proxy drains first, the control plane goes last. */
  @Override
  public void close() {
    started.close();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Nothing more to release.
    }
  }
}
