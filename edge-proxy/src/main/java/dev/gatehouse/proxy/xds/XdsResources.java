package dev.gatehouse.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The xDS resources accepted so far, per type, and what edge-proxy compiled from them. Immutable:
 * an update yields a new instance, or an {@link XdsException} that becomes the NACK and leaves this
 * one in force.
 *
 * <p>xDS here is state of the world: every response carries every resource of its type, changed or
 * not. A resource whose bytes are those of one already accepted is not parsed, checked or compiled
 * again: the accepted message and what was compiled from it are kept ({@code received} maps each
 * type's accepted bytes to their message). So a change to one cluster among a thousand costs one
 * cluster's work, and the unchanged ones keep their compiled objects.
 */
public record XdsResources(
    Map<String, Cluster> clusters,
    Map<String, ClusterLoadAssignment> assignments,
    Map<String, Listener> listeners,
    Map<String, RouteConfiguration> routes,
    Map<String, Secret> secrets,
    Map<String, ClusterSettings> clusterSettings,
    Map<String, RouteTable> routeTables,
    Map<String, ListenerTranslator.ListenerSpec> listenerSpecs,
    Map<String, Map<ByteString, Message>> received) {

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
          Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** The resources with one type's state-of-the-world replaced, compiled. */
  public XdsResources with(String typeUrl, List<Any> resources) {
    Map<ByteString, Message> known = received.getOrDefault(typeUrl, Map.of());
    Map<ByteString, Message> now = new HashMap<>();
    XdsResources next =
        switch (typeUrl) {
          case CDS ->
              withClusters(
                  unpack(typeUrl, resources, Cluster.class, Cluster::getName, known, now),
                  assignments);
          case EDS ->
              withClusters(
                  clusters,
                  unpack(
                      typeUrl,
                      resources,
                      ClusterLoadAssignment.class,
                      ClusterLoadAssignment::getClusterName,
                      known,
                      now));
          case LDS ->
              withListeners(
                  unpack(typeUrl, resources, Listener.class, Listener::getName, known, now));
          case RDS ->
              withRoutes(
                  unpack(
                      typeUrl,
                      resources,
                      RouteConfiguration.class,
                      RouteConfiguration::getName,
                      known,
                      now));
          case SDS ->
              withSecrets(unpack(typeUrl, resources, Secret.class, Secret::getName, known, now));
          default -> throw new XdsException("type " + typeUrl + " is not supported by edge-proxy");
        };
    Map<String, Map<ByteString, Message>> nextReceived = new HashMap<>(received);
    nextReceived.put(typeUrl, now);
    return new XdsResources(
        next.clusters,
        next.assignments,
        next.listeners,
        next.routes,
        next.secrets,
        next.clusterSettings,
        next.routeTables,
        next.listenerSpecs,
        Map.copyOf(nextReceived));
  }

  private XdsResources withClusters(
      Map<String, Cluster> clusters, Map<String, ClusterLoadAssignment> assignments) {
    Map<String, ClusterSettings> settings = new LinkedHashMap<>();
    for (Cluster cluster : clusters.values()) {
      String name = cluster.getName();
      ClusterLoadAssignment assignment = assignments.get(name);
      ClusterSettings kept = clusterSettings.get(name);
      // The same message objects as before (unchanged bytes) compile to the same settings.
      boolean unchanged =
          kept != null
              && this.clusters.get(name) == cluster
              && this.assignments.get(name) == assignment;
      settings.put(name, unchanged ? kept : ClusterTranslator.translate(cluster, assignment));
    }
    return new XdsResources(
        clusters,
        assignments,
        listeners,
        routes,
        secrets,
        settings,
        routeTables,
        listenerSpecs,
        received);
  }

  private XdsResources withListeners(Map<String, Listener> listeners) {
    Map<String, ListenerTranslator.ListenerSpec> specs = new LinkedHashMap<>();
    for (Listener listener : listeners.values()) {
      ListenerTranslator.ListenerSpec kept = listenerSpecs.get(listener.getName());
      boolean unchanged = kept != null && this.listeners.get(listener.getName()) == listener;
      specs.put(listener.getName(), unchanged ? kept : ListenerTranslator.translate(listener));
    }
    return new XdsResources(
        clusters,
        assignments,
        listeners,
        routes,
        secrets,
        clusterSettings,
        routeTables,
        specs,
        received);
  }

  private XdsResources withRoutes(Map<String, RouteConfiguration> routes) {
    Map<String, RouteTable> tables = new LinkedHashMap<>();
    for (RouteConfiguration config : routes.values()) {
      RouteTable kept = routeTables.get(config.getName());
      if (kept != null && this.routes.get(config.getName()) == config) {
        tables.put(config.getName(), kept);
        continue;
      }
      XdsPolicy.ROUTES.check(config, "route_configuration " + config.getName());
      tables.put(config.getName(), RouteTable.compile(config));
    }
    return new XdsResources(
        clusters,
        assignments,
        listeners,
        routes,
        secrets,
        clusterSettings,
        tables,
        listenerSpecs,
        received);
  }

  private XdsResources withSecrets(Map<String, Secret> secrets) {
    for (Secret secret : secrets.values()) {
      if (this.secrets.get(secret.getName()) != secret) {
        XdsPolicy.SECRETS.check(secret, "secret " + secret.getName());
      }
    }
    return new XdsResources(
        clusters,
        assignments,
        listeners,
        routes,
        secrets,
        clusterSettings,
        routeTables,
        listenerSpecs,
        received);
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

  /**
   * The resources of one type by name; bytes already in {@code known} (under the same type URL)
   * give back the message parsed from them before, without parsing. Every message taken is recorded
   * in {@code now}.
   */
  private static <T extends Message> Map<String, T> unpack(
      String typeUrl,
      List<Any> resources,
      Class<T> type,
      java.util.function.Function<T, String> name,
      Map<ByteString, Message> known,
      Map<ByteString, Message> now) {
    Map<String, T> out = new TreeMap<>();
    for (Any any : resources) {
      // Known bytes under the response's own type URL: that message again.
      T resource = typeUrl.equals(any.getTypeUrl()) ? type.cast(known.get(any.getValue())) : null;
      if (resource == null) {
        resource = parse(any, type);
      }
      now.put(any.getValue(), resource);
      if (out.put(name.apply(resource), resource) != null) {
        throw new XdsException(
            type.getSimpleName() + " " + name.apply(resource) + " is sent twice");
      }
    }
    return out;
  }

  private static <T extends Message> T parse(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsException(any.getTypeUrl() + " does not parse: " + e.getMessage(), e);
    }
  }
}
