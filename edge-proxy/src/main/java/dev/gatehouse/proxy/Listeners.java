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
import java.util.HashMap;
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

  private record Running(
      ListenerSpec spec, Map<String, String> certs, HttpServer server, Dispatch dispatch) {}

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

  private final Vertx vertx;
  private final Supplier<ProxySnapshot> snapshot;
  private final EdgeFilters filters;
  private final dev.gatehouse.proxy.observe.ProxyMetrics metrics;
  private final Map<String, Running> running = new HashMap<>();

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
        running.put(spec.name(), new Running(spec, certs, current.server(), current.dispatch()));
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
            .setHttp2ClearTextEnabled(true);
    if (spec.tls()) {
      PemKeyCertOptions keys = new PemKeyCertOptions();
      for (Map.Entry<String, String> pair : certs.entrySet()) {
        keys.addCertValue(Buffer.buffer(pair.getKey())).addKeyValue(Buffer.buffer(pair.getValue()));
      }
      options.setSsl(true).setSni(true).setUseAlpn(true).setKeyCertOptions(keys);
    }
    Dispatch dispatch = new Dispatch(spec, handlers);
    HttpServer server = vertx.createHttpServer(options).requestHandler(dispatch);
    running.put(spec.name(), new Running(spec, certs, server, dispatch));
    server
        .listen()
        .onSuccess(
            s ->
                LOG.info(
                    "listener {} on {}:{}{}",
                    spec.name(),
                    spec.address(),
                    s.actualPort(),
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

  private static void stop(Running listener) {
    if (listener != null) {
      listener.server().close();
    }
  }

  int serving() {
    return (int) running.values().stream().filter(r -> r.server().actualPort() > 0).count();
  }

  int port(String name) {
    Running listener = running.get(name);
    return listener == null || listener.server().actualPort() <= 0
        ? -1
        : listener.server().actualPort();
  }

  Future<Void> close() {
    List<Future<Void>> closing = running.values().stream().map(r -> r.server().shutdown()).toList();
    running.clear();
    return Future.join(closing).mapEmpty();
  }
}
