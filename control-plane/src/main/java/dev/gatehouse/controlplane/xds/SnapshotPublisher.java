package dev.gatehouse.controlplane.xds;

import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.Names;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns compiled configurations into cache snapshots. Each type's version is the hash of its
 * content, so a new snapshot only sends the types that changed (an edited Mapping sends RDS alone),
 * and every replica compiling the same resources announces the same versions.
 *
 * <p>Make before break: a cluster that a new configuration no longer has is kept for a grace
 * period, so a proxy that still routes to it (its new routes have not arrived) does not answer 503;
 * then it is removed with a second, clusters-only update. ADS already sends new clusters before the
 * routes that use them.
 *
 * <p>State is touched on the xDS server's context only.
 */
public final class SnapshotPublisher {
  /** How long a removed cluster is still served. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private final SimpleCache<String> cache;
  private final Duration grace;
  private final RoutePacker packer;
  private volatile Context context;
  private volatile Versions current;
  // Context-confined.
  private CompiledConfig latest;
  private List<Cluster> servedClusters = List.of();
  private List<ClusterLoadAssignment> servedEndpoints = List.of();
  private long graceTimer = -1;

  SnapshotPublisher(SimpleCache<String> cache, Duration grace, RoutePacker packer) {
    this.cache = cache;
    this.grace = grace;
    this.packer = packer;
  }

  void bindTo(Context context) {
    this.context = context;
  }

  /** The versions per type of the snapshot being served, or null before the first. */
  public Versions current() {
    return current;
  }

  /**
   * Publishes a configuration on the server's context. Completes with true when it was new, false
   * when it equals what is served already (nothing is sent then).
   */
  public Future<Boolean> publish(CompiledConfig config) {
    // The expensive hashes on the caller's thread, never on the event loop.
    String listeners = config.listenersVersion();
    String routes = config.routesVersion();
    String endpoints = config.endpointsVersion();
    String secrets = Names.hash(config.secrets());
    String clustersVersion = config.clustersVersion();
    packer.pack(config.routes());
    Promise<Boolean> done = Promise.promise();
    Context target = Objects.requireNonNull(context, "the xDS server is not listening");
    target.runOnContext(
        v -> {
          latest = config;
          Set<String> wanted =
              config.clusters().stream().map(Cluster::getName).collect(Collectors.toSet());
          List<Cluster> clusters = new ArrayList<>(config.clusters());
          servedClusters.stream().filter(c -> !wanted.contains(c.getName())).forEach(clusters::add);
          clusters.sort(Comparator.comparing(Cluster::getName));
          boolean lingering = clusters.size() > config.clusters().size();
          done.complete(
              set(
                  config,
                  listeners,
                  routes,
                  endpoints,
                  secrets,
                  clusters,
                  lingering ? Names.hash(clusters) : clustersVersion));
          if (lingering) {
            context.owner().cancelTimer(graceTimer);
            graceTimer =
                context
                    .owner()
                    .setTimer(
                        grace.toMillis(),
                        id -> {
                          if (latest == config) {
                            set(
                                config,
                                listeners,
                                routes,
                                endpoints,
                                secrets,
                                config.clusters(),
                                clustersVersion);
                          }
                        });
          }
        });
    return done.future();
  }

  private boolean set(
      CompiledConfig config,
      String listeners,
      String routes,
      String endpoints,
      String secrets,
      List<Cluster> clusters,
      String clustersVersion) {
    // A lingering EDS cluster keeps its last endpoints until it goes.
    Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
    Set<String> names = clusters.stream().map(Cluster::getName).collect(Collectors.toSet());
    servedEndpoints.stream()
        .filter(a -> names.contains(a.getClusterName()))
        .forEach(a -> assignments.put(a.getClusterName(), a));
    config.endpoints().forEach(a -> assignments.put(a.getClusterName(), a));
    List<ClusterLoadAssignment> served = List.copyOf(assignments.values());
    String endpointsVersion =
        served.size() == config.endpoints().size() ? endpoints : Names.hash(served);
    Versions next = new Versions(listeners, routes, clustersVersion, endpointsVersion, secrets);
    if (next.equals(current)) {
      return false;
    }
    cache.setSnapshot(
        XdsServer.GROUP,
        new XdsSnapshot(
            clusters,
            next.clusters(),
            served,
            config.listeners(),
            next.listeners(),
            config.routes(),
            next.routes(),
            config.secrets()));
    servedClusters = List.copyOf(clusters);
    servedEndpoints = served;
    current = next;
    return true;
  }

  /**
   * Content versions of the served types. EDS and SDS are also versioned per resource on the wire
   * (see {@link XdsSnapshot}); these are the hashes of all of them.
   */
  public record Versions(
      String listeners, String routes, String clusters, String endpoints, String secrets) {}
}
