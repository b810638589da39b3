package dev.gatehouse.proxy;

import dev.gatehouse.proxy.filters.GrpcAuthzClient;
import dev.gatehouse.proxy.filters.GrpcRateLimitClient;
import dev.gatehouse.proxy.proxy.EdgeFilters;
import dev.gatehouse.proxy.proxy.ProxySnapshot;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import dev.gatehouse.proxy.xds.AdsClient;
import dev.gatehouse.proxy.xds.ListenerTranslator;
import dev.gatehouse.proxy.xds.XdsResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge proxy: an ADS client keeping the configuration, the listeners it asks for, and the
 * running clusters. Each accepted xDS update becomes a new {@link ProxySnapshot}, swapped in whole;
 * requests in flight finish on the snapshot they started with, and clusters that are replaced are
 * closed only after a drain period.
 */
public final class EdgeProxy {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeProxy.class);

  /** How long a replaced cluster keeps its connections for requests still using it. */
  static final Duration DRAIN = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final EdgeProxyOptions options;
  private final AtomicReference<ProxySnapshot> snapshot =
      new AtomicReference<>(ProxySnapshot.EMPTY);
  private final Map<String, ClusterRuntime> clusters = new HashMap<>();
  private final Listeners listeners;
  private final AdsClient ads;
  private final AdminServer admin;
  private final dev.gatehouse.proxy.observe.ProxyMetrics metrics =
      new dev.gatehouse.proxy.observe.ProxyMetrics();

  public EdgeProxy(Vertx vertx, EdgeProxyOptions options) {
    this.vertx = vertx;
    this.options = options;
    EdgeFilters filters =
        new EdgeFilters(
            snapshot::get,
            (cluster, settings) -> new GrpcAuthzClient(vertx, cluster, settings),
            (cluster, settings) -> new GrpcRateLimitClient(vertx, cluster, settings),
            options.nodeCluster(),
            metrics);
    this.listeners = new Listeners(vertx, snapshot::get, filters, metrics);
    Node node = Node.newBuilder().setId(options.nodeId()).setCluster(options.nodeCluster()).build();
    List<SocketAddress> servers =
        options.xdsServers().stream()
            .map(s -> SocketAddress.inetSocketAddress(s.port(), s.host()))
            .toList();
    this.ads = new AdsClient(vertx, servers, node, this::apply);
    this.admin = new AdminServer(vertx, this);
  }

  /** Starts the admin server and the xDS stream; listeners open as the control plane sends them. */
  public Future<EdgeProxy> start() {
    return admin
        .start(options.adminHost(), options.adminPort())
        .map(
            port -> {
              ads.start();
              return this;
            });
  }

  private void apply(XdsResources resources) {
    Map<String, ClusterRuntime> running = new HashMap<>();
    for (Map.Entry<String, ClusterSettings> entry : resources.clusterSettings().entrySet()) {
      ClusterRuntime existing = clusters.get(entry.getKey());
      if (existing != null && existing.settings().equals(entry.getValue())) {
        running.put(entry.getKey(), existing);
      } else if (existing != null && existing.takesEndpointsOf(entry.getValue())) {
        existing.updateEndpoints(entry.getValue()); // EDS: connections and endpoint state stay
        running.put(entry.getKey(), existing);
      } else {
        ClusterRuntime fresh = new ClusterRuntime(vertx, entry.getValue(), Listeners.INSTANCES);
        fresh.start();
        running.put(entry.getKey(), fresh);
      }
    }
    for (Map.Entry<String, ClusterRuntime> old : clusters.entrySet()) {
      if (running.get(old.getKey()) != old.getValue()) {
        ClusterRuntime retired = old.getValue();
        vertx.setTimer(DRAIN.toMillis(), id -> retired.close());
      }
    }
    clusters.clear();
    clusters.putAll(running);
    Map<String, RouteTable> routes = resources.routeTables();
    snapshot.set(new ProxySnapshot(routes, running));
    listeners.reconcile(resources.listenerSpecs(), resources.secrets());
    LOG.info(
        "xDS applied: {} listeners, {} route configurations, {} clusters",
        resources.listenerSpecs().size(),
        routes.size(),
        running.size());
  }

  /** The configuration in force. */
  public ProxySnapshot snapshot() {
    return snapshot.get();
  }

  public AdsClient ads() {
    return ads;
  }

  public dev.gatehouse.proxy.observe.ProxyMetrics metrics() {
    return metrics;
  }

  /** Ready once a configuration with at least one listener is serving. */
  public boolean ready() {
    return listeners.serving() > 0;
  }

  /** The bound port of a listener by its xDS name, or -1. */
  public int listenerPort(String name) {
    return listeners.port(name);
  }

  public int adminPort() {
    return admin.port();
  }

  /** The listener specs in force, for the admin pages. */
  public Map<String, ListenerTranslator.ListenerSpec> listenerSpecs() {
    return ads.resources().listenerSpecs();
  }

  /**
   * Stops the xDS stream, then stops accepting, lets requests in flight finish up to the drain
   * time, and closes everything. Runs on the xDS client's context, where updates are applied, once
   * no update can be applied any more.
   */
  public Future<Void> close() {
    return ads.close()
        .compose(v -> listeners.close())
        .compose(v -> admin.close())
        .andThen(
            v -> {
              clusters.values().forEach(ClusterRuntime::close);
              clusters.clear();
            });
  }
}
