package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.ConfigError;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;

/**
 * The xDS resources compiled from one set of resources, each list in name order, with a version per
 * type that is the hash of its content: equal content, equal version, on every replica.
 *
 * @param problems what the compiler found beyond what loading found (the affected Mapping or Host
 *     is left out)
 * @param routeTable one row per route, for the diag page
 * @param endpoints the load assignments of the EDS clusters (Kubernetes Services)
 * @param secrets the TLS certificates the listeners use, from Kubernetes Secrets (SDS); never
 *     printed
 * @param routesVersion the content version of the routes, as {@link Names#routesVersion} computes
 *     it (the compiler passes it in because it knows the digests of the routes it kept)
 */
public record CompiledConfig(
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ConfigError> problems,
    List<RouteRow> routeTable,
    List<ClusterLoadAssignment> endpoints,
    List<Secret> secrets,
    String routesVersion) {

  public CompiledConfig {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    problems = List.copyOf(problems);
    routeTable = List.copyOf(routeTable);
    endpoints = List.copyOf(endpoints);
    secrets = List.copyOf(secrets);
    java.util.Objects.requireNonNull(routesVersion, "routesVersion");
  }

  /** A configuration whose routes version is computed from the routes. */
  public CompiledConfig(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ConfigError> problems,
      List<RouteRow> routeTable,
      List<ClusterLoadAssignment> endpoints,
      List<Secret> secrets) {
    this(
        listeners,
        routes,
        clusters,
        problems,
        routeTable,
        endpoints,
        secrets,
        Names.routesVersion(routes, java.util.Map.of()));
  }

  /** A configuration without EDS endpoints or SDS secrets (the directory mode). */
  public CompiledConfig(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ConfigError> problems,
      List<RouteRow> routeTable) {
    this(listeners, routes, clusters, problems, routeTable, List.of(), List.of());
  }

  /** Counts only: the secrets hold private keys. */
  @Override
  public String toString() {
    return "CompiledConfig[listeners="
        + listeners.size()
        + ", routes="
        + routes.size()
        + ", clusters="
        + clusters.size()
        + ", endpoints="
        + endpoints.size()
        + ", secrets="
        + secrets.size()
        + ", problems="
        + problems.size()
        + "]";
  }

  public String listenersVersion() {
    return Names.hash(listeners);
  }

  public String clustersVersion() {
    return Names.hash(clusters);
  }

  /** The hash of every load assignment (a proxy asks for each by name; see the publisher). */
  public String endpointsVersion() {
    return Names.hash(endpoints);
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
    for (ClusterLoadAssignment assignment : endpoints) {
      size += assignment.getSerializedSize();
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
