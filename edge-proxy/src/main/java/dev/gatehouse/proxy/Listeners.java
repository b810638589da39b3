package dev.gatehouse.proxy;

import dev.gatehouse.proxy.proxy.EdgeFilters;
import dev.gatehouse.proxy.proxy.ProxyHandler;
import dev.gatehouse.proxy.proxy.ProxySnapshot;
import dev.gatehouse.proxy.xds.ListenerTranslator.ListenerSpec;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP servers of the listeners that xDS asks for: HTTP/1.1 and h2c in clear, h2 and HTTP/1.1
 * with ALPN and the SNI-selected certificate under TLS. A listener whose address, TLS or secrets
 * change is rebound; one whose HTTP settings change keeps its socket and takes the new settings for
 * new requests.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  /**
   * A bound listener: one server per event loop (Vert.x shares the socket among them and spreads
   * connections over the loops, as nginx spreads them over workers).
   */
  private record Running(
      ListenerSpec spec,
      Map<String, String> certs,
      List<HttpServer> servers,
      Dispatch dispatch,
      Future<String> deployment) {
    HttpServer server() {
      return servers.isEmpty() ? null : servers.get(0);
    }
  }

  /** One listener instance on its own event loop. */
  private static final class ServerInstance extends io.vertx.core.VerticleBase {
    private final HttpServerOptions options;
    private final Dispatch dispatch;
    private final List<HttpServer> servers;

    ServerInstance(HttpServerOptions options, Dispatch dispatch, List<HttpServer> servers) {
      this.options = options;
      this.dispatch = dispatch;
      this.servers = servers;
    }

    @Override
    public Future<?> start() {
      HttpServer server = vertx.createHttpServer(options).requestHandler(dispatch);
      servers.add(server);
      return server.listen();
    }
  }

  /** Picks the chain of a request (by SNI) and hands it to that chain's handler; swappable. */
  private static final class Dispatch implements io.vertx.core.Handler<HttpServerRequest> {
    private volatile List<ProxyHandler> handlers;
    private volatile ListenerSpec spec;

    Dispatch(ListenerSpec spec, List<ProxyHandler> handlers) {
      this.spec = spec;
      this.handlers = handlers;
    }

    void update(ListenerSpec spec, List<ProxyHandler> handlers) {
      this.spec = spec;
      this.handlers = handlers;
    }

    @Override
    public void handle(HttpServerRequest request) {
      List<ProxyHandler> current = handlers;
      int chain = 0;
      String sni = request.connection() == null ? null : request.connection().indicatedServerName();
      if (sni != null && current.size() > 1) {
        chain = Sni.chainFor(spec, sni.toLowerCase(java.util.Locale.ROOT));
      }
      current.get(chain).handle(request);
    }
  }

  /** Listener instances: one per core, like nginx's worker_processes auto. */
  static final int INSTANCES =
      Integer.getInteger(
          "gatehouse.listener.instances", Math.max(1, Runtime.getRuntime().availableProcessors()));

  private final Vertx vertx;
  private final Supplier<ProxySnapshot> snapshot;
  private final EdgeFilters filters;
  private final dev.gatehouse.proxy.observe.ProxyMetrics metrics;
  // Changed on the xDS client's context; read by the admin server's (ready, ports) too.
  private final Map<String, Running> running = new java.util.concurrent.ConcurrentHashMap<>();

  Listeners(
      Vertx vertx,
      Supplier<ProxySnapshot> snapshot,
      EdgeFilters filters,
      dev.gatehouse.proxy.observe.ProxyMetrics metrics) {
    this.vertx = vertx;
    this.snapshot = snapshot;
    this.filters = filters;
    this.metrics = metrics;
  }

  void reconcile(Map<String, ListenerSpec> specs, Map<String, Secret> secrets) {
    for (String name : new ArrayList<>(running.keySet())) {
      if (!specs.containsKey(name)) {
        stop(running.remove(name));
      }
    }
    for (ListenerSpec spec : specs.values()) {
      Map<String, String> certs = Sni.certificates(spec, secrets);
      if (certs == null) {
        LOG.info("listener {} waits for its TLS secrets", spec.name());
        continue;
      }
      List<ProxyHandler> handlers =
          spec.chains().stream()
              .map(c -> new ProxyHandler(vertx, c.http(), snapshot, filters, metrics))
              .toList();
      Running current = running.get(spec.name());
      if (current != null && sameSocket(current, spec, certs)) {
        current.dispatch().update(spec, handlers);
        running.put(
            spec.name(),
            new Running(spec, certs, current.servers(), current.dispatch(), current.deployment()));
        continue;
      }
      if (current != null) {
        stop(running.remove(spec.name()));
      }
      start(spec, certs, handlers);
    }
  }

  private static boolean sameSocket(Running current, ListenerSpec spec, Map<String, String> certs) {
    return current.spec().address().equals(spec.address())
        && current.spec().port() == spec.port()
        && current.certs().equals(certs);
  }

  private void start(ListenerSpec spec, Map<String, String> certs, List<ProxyHandler> handlers) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(spec.address())
            .setPort(spec.port())
            .setMaxHeaderSize(60 * 1024)
            .setMaxInitialLineLength(16 * 1024)
            .setDecompressionSupported(false)
            .setCompressionSupported(false)
            // Websockets are tunnelled as bytes, so their extensions are the client's and the
            // upstream's to negotiate: no Netty extension handler in every connection's pipeline.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setHttp2ClearTextEnabled(true);
    if (spec.tls()) {
      PemKeyCertOptions keys = new PemKeyCertOptions();
      for (Map.Entry<String, String> pair : certs.entrySet()) {
        keys.addCertValue(Buffer.buffer(pair.getKey())).addKeyValue(Buffer.buffer(pair.getValue()));
      }
      options.setSsl(true).setSni(true).setUseAlpn(true).setKeyCertOptions(keys);
    }
    Dispatch dispatch = new Dispatch(spec, handlers);
    List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    Future<String> deployment =
        vertx.deployVerticle(
            () -> new ServerInstance(options, dispatch, servers),
            new io.vertx.core.DeploymentOptions().setInstances(INSTANCES));
    running.put(spec.name(), new Running(spec, certs, servers, dispatch, deployment));
    deployment
        .onSuccess(
            id ->
                LOG.info(
                    "listener {} on {}:{}{}",
                    spec.name(),
                    spec.address(),
                    servers.get(0).actualPort(),
                    spec.tls() ? " (TLS)" : ""))
        .onFailure(
            e ->
                LOG.error(
                    "listener {} cannot bind {}:{}: {}",
                    spec.name(),
                    spec.address(),
                    spec.port(),
                    e.getMessage()));
  }

  private void stop(Running listener) {
    if (listener != null) {
      listener.deployment().onSuccess(vertx::undeploy);
    }
  }

  int serving() {
    return (int)
        running.values().stream()
            .filter(
                r ->
                    r.deployment().succeeded() && r.server() != null && r.server().actualPort() > 0)
            .count();
  }

  int port(String name) {
    Running listener = running.get(name);
    return listener == null || !listener.deployment().succeeded() || listener.server() == null
        ? -1
        : listener.server().actualPort();
  }

  Future<Void> close() {
    // Shut the servers down gracefully (in-flight requests finish), then undeploy their instances.
    List<Future<Void>> closing =
        running.values().stream()
            .flatMap(r -> r.servers().stream())
            .map(HttpServer::shutdown)
            .toList();
    List<Future<String>> deployments = running.values().stream().map(Running::deployment).toList();
    running.clear();
    return Future.join(closing)
        .transform(
            v -> Future.join(deployments.stream().map(d -> d.compose(vertx::undeploy)).toList()))
        .mapEmpty();
  }
}
