package dev.gatehouse.controlplane.xds;

import com.google.protobuf.Message;
import dev.gatehouse.controlplane.compile.Names;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A cache snapshot whose EDS and SDS versions are per resource: a proxy's request for some load
 * assignments (or secrets) is answered with the hash of those it named, so when one Service's
 * endpoints change only the watches that name its cluster get a response. Clusters, listeners and
 * routes keep one content version per type.
 */
final class XdsSnapshot extends Snapshot {
  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;
  private final SnapshotResources<Secret> secrets;

  XdsSnapshot(
      List<Cluster> clusters,
      String clustersVersion,
      List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners,
      String listenersVersion,
      List<RouteConfiguration> routes,
      String routesVersion,
      List<Secret> secrets) {
    this.clusters = SnapshotResources.create(clusters, clustersVersion);
    this.endpoints = perResource(endpoints, ClusterLoadAssignment::getClusterName);
    this.listeners = SnapshotResources.create(listeners, listenersVersion);
    this.routes = SnapshotResources.create(routes, routesVersion);
    this.secrets = perResource(secrets, Secret::getName);
  }

  private static <T extends Message> SnapshotResources<T> perResource(
      List<T> resources, Function<T, String> name) {
    Map<String, String> hashes = new TreeMap<>();
    List<VersionedResource<T>> versioned = new ArrayList<>();
    for (T resource : resources) {
      hashes.put(name.apply(resource), Names.hash(List.of(resource)));
      versioned.add(VersionedResource.create(resource));
    }
    String all = Names.hash(String.join(",", hashes.values()), 16);
    return SnapshotResources.create(
        versioned,
        names -> {
          if (names.isEmpty()) {
            return all;
          }
          StringBuilder named = new StringBuilder();
          names.stream()
              .sorted()
              .forEach(n -> named.append(n).append('=').append(hashes.get(n)).append(','));
          return Names.hash(named.toString(), 16);
        });
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  // Raw: java-control-plane's base and v3 classes declare this with two different wildcards.
  public Map versionedResources(io.envoyproxy.controlplane.cache.Resources.ResourceType type) {
    SnapshotResources<?> of =
        switch (type) {
          case CLUSTER -> clusters;
          case ENDPOINT -> endpoints;
          case LISTENER -> listeners;
          case ROUTE -> routes;
          case SECRET -> secrets;
        };
    return (Map) of.versionedResources();
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return secrets;
  }
}
