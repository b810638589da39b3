package dev.gatehouse.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The xDS resources accepted so far, per type, and what edge-proxy compiled from them. Immutable:
 * an update yields a new instance, or an {@link XdsException} that becomes the NACK and leaves this
 * one in force.
 */
public record XdsResources(
    Map<String, Cluster> clusters,
    Map<String, ClusterLoadAssignment> assignments,
    Map<String, Listener> listeners,
    Map<String, RouteConfiguration> routes,
    Map<String, Secret> secrets,
    Map<String, ClusterSettings> clusterSettings,
    Map<String, RouteTable> routeTables,
    Map<String, ListenerTranslator.ListenerSpec> listenerSpecs) {

  public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String EDS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String SDS =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

  /**
   * The order in which a proxy subscribes, as Envoy does: clusters before the routes that use them.
   */
  public static final List<String> TYPES = List.of(CDS, EDS, LDS, RDS, SDS);

  public static final XdsResources EMPTY =
      new XdsResources(
          Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** The resources with one type's state-of-the-world replaced, compiled. */
  public XdsResources with(String typeUrl, List<Any> resources) {
    return switch (typeUrl) {
      case CDS -> withClusters(unpack(resources, Cluster.class, Cluster::getName), assignments);
      case EDS ->
          withClusters(
              clusters,
              unpack(
                  resources, ClusterLoadAssignment.class, ClusterLoadAssignment::getClusterName));
      case LDS -> withListeners(unpack(resources, Listener.class, Listener::getName));
      case RDS ->
          withRoutes(unpack(resources, RouteConfiguration.class, RouteConfiguration::getName));
      case SDS -> withSecrets(unpack(resources, Secret.class, Secret::getName));
      default -> throw new XdsException("type " + typeUrl + " is not supported by edge-proxy");
    };
  }

  private XdsResources withClusters(
      Map<String, Cluster> clusters, Map<String, ClusterLoadAssignment> assignments) {
    Map<String, ClusterSettings> settings = new LinkedHashMap<>();
    for (Cluster cluster : clusters.values()) {
      settings.put(
          cluster.getName(),
          ClusterTranslator.translate(cluster, assignments.get(cluster.getName())));
    }
    return new XdsResources(
        clusters, assignments, listeners, routes, secrets, settings, routeTables, listenerSpecs);
  }

  private XdsResources withListeners(Map<String, Listener> listeners) {
    Map<String, ListenerTranslator.ListenerSpec> specs = new LinkedHashMap<>();
    for (Listener listener : listeners.values()) {
      specs.put(listener.getName(), ListenerTranslator.translate(listener));
    }
    return new XdsResources(
        clusters, assignments, listeners, routes, secrets, clusterSettings, routeTables, specs);
  }

  private XdsResources withRoutes(Map<String, RouteConfiguration> routes) {
    Map<String, RouteTable> tables = new LinkedHashMap<>();
    for (RouteConfiguration config : routes.values()) {
      XdsPolicy.ROUTES.check(config, "route_configuration " + config.getName());
      tables.put(config.getName(), RouteTable.compile(config));
    }
    return new XdsResources(
        clusters, assignments, listeners, routes, secrets, clusterSettings, tables, listenerSpecs);
  }

  private XdsResources withSecrets(Map<String, Secret> secrets) {
    for (Secret secret : secrets.values()) {
      XdsPolicy.SECRETS.check(secret, "secret " + secret.getName());
    }
    return new XdsResources(
        clusters,
        assignments,
        listeners,
        routes,
        secrets,
        clusterSettings,
        routeTables,
        listenerSpecs);
  }

  /**
   * The resource names to ask for of a type: EDS for EDS clusters, RDS and SDS that listeners use;
   * empty for wildcard types.
   */
  public List<String> subscriptions(String typeUrl) {
    TreeSet<String> names = new TreeSet<>();
    switch (typeUrl) {
      case EDS ->
          clusters.values().stream()
              .filter(c -> c.getType() == Cluster.DiscoveryType.EDS)
              .forEach(c -> names.add(c.getName()));
      case RDS ->
          listenerSpecs
              .values()
              .forEach(l -> l.chains().forEach(c -> names.add(c.http().routeConfigName())));
      case SDS ->
          listenerSpecs
              .values()
              .forEach(
                  l ->
                      l.chains()
                          .forEach(
                              c -> {
                                if (c.tls() != null) {
                                  names.add(c.tls().secretName());
                                }
                              }));
      default -> {
        // CDS and LDS are wildcard subscriptions.
      }
    }
    return List.copyOf(names);
  }

  private static <T extends Message> Map<String, T> unpack(
      List<Any> resources, Class<T> type, java.util.function.Function<T, String> name) {
    Map<String, T> out = new TreeMap<>();
    for (Any any : resources) {
      try {
        T resource = any.unpack(type);
        if (out.put(name.apply(resource), resource) != null) {
          throw new XdsException(
              type.getSimpleName() + " " + name.apply(resource) + " is sent twice");
        }
      } catch (InvalidProtocolBufferException e) {
        throw new XdsException(any.getTypeUrl() + " does not parse: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
