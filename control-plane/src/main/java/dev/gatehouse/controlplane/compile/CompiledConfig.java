package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.ConfigError;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * The xDS resources compiled from one set of resources, each list in name order, with a version per
 * type that is the hash of its content: equal content, equal version, on every replica.
 *
 * @param problems what the compiler found beyond what loading found (the affected Mapping or Host
 *     is left out)
 * @param routeTable one row per route, for the diag page
 */
public record CompiledConfig(
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ConfigError> problems,
    List<RouteRow> routeTable) {

  public CompiledConfig {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    problems = List.copyOf(problems);
    routeTable = List.copyOf(routeTable);
  }

  public String listenersVersion() {
    return Names.hash(listeners);
  }

  public String routesVersion() {
    return Names.hash(routes);
  }

  public String clustersVersion() {
    return Names.hash(clusters);
  }

  /** The serialized size of every resource, in bytes, for the metrics. */
  public long sizeBytes() {
    long size = 0;
    for (Listener listener : listeners) {
      size += listener.getSerializedSize();
    }
    for (RouteConfiguration route : routes) {
      size += route.getSerializedSize();
    }
    for (Cluster cluster : clusters) {
      size += cluster.getSerializedSize();
    }
    return size;
  }

  /**
   * One route as the diag page shows it.
   *
   * @param mappings the {@code Kind namespace/name} of each Mapping in the route
   * @param sources their {@code file:line}
   */
  public record RouteRow(
      String routeConfig,
      String virtualHost,
      String route,
      String match,
      List<String> clusters,
      List<String> mappings,
      List<String> sources) {
    public RouteRow {
      clusters = List.copyOf(clusters);
      mappings = List.copyOf(mappings);
      sources = List.copyOf(sources);
    }
  }
}
