package dev.gatehouse.controlplane.admin;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.controlplane.ConfigState;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.controlplane.xds.SnapshotPublisher;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diag page's JSON ({@code /ambassador/v0/diag/?json=true}): every resource with its source and
 * its errors, the rejected ones, the route table, the clusters, and the xDS state.
 */
final class DiagReport {
  private DiagReport() {}

  static JsonObject of(
      ConfigState state, SnapshotPublisher.Versions versions, XdsCallbacks xds, Replicas replicas) {
    JsonObject out = new JsonObject();
    if (state == null) {
      return out.put("ready", false);
    }
    LoadResult loaded = state.loaded();
    CompiledConfig compiled = state.compiled();
    Map<String, List<ConfigError>> byResource = new LinkedHashMap<>();
    List<ConfigError> all = new ArrayList<>(loaded.problems());
    all.addAll(compiled.problems());
    for (ConfigError problem : all) {
      byResource.computeIfAbsent(problem.resource(), k -> new ArrayList<>()).add(problem);
    }
    JsonArray resources = new JsonArray();
    for (Resource<?> resource : loaded.resources()) {
      resources.add(
          new JsonObject()
              .put("id", resource.id())
              .put("kind", resource.kind().yamlName())
              .put("name", resource.name())
              .put("namespace", resource.namespace())
              .put("source", resource.source().toString())
              .put("problems", problems(byResource.get(resource.id()))));
    }
    JsonArray rejected = new JsonArray();
    for (LoadResult.Rejected r : loaded.rejected()) {
      List<ConfigError> own =
          r.kind().equals("file")
              ? all.stream()
                  .filter(p -> p.resource() == null && p.source().origin().equals(r.id()))
                  .toList()
              : byResource.get(r.id());
      rejected.add(
          new JsonObject()
              .put("id", r.id())
              .put("kind", r.kind())
              .put("source", r.source().toString())
              .put("problems", problems(own)));
    }
    Map<String, Route> byName = routesByName(compiled);
    boolean authService = loaded.resources().stream().anyMatch(r -> r.kind() == Kind.AUTH_SERVICE);
    JsonArray routes = new JsonArray();
    for (CompiledConfig.RouteRow row : compiled.routeTable()) {
      Route route = byName.get(row.routeConfig() + "/" + row.virtualHost() + "/" + row.route());
      routes.add(
          new JsonObject()
              .put("route_config", row.routeConfig())
              .put("virtual_host", row.virtualHost())
              .put("route", row.route())
              .put("match", row.match())
              .put("clusters", new JsonArray(row.clusters()))
              .put("mappings", new JsonArray(row.mappings()))
              .put("sources", new JsonArray(row.sources()))
              .put("ext_authz", authz(route, authService))
              .put("rate_limits", rateLimits(route)));
    }
    JsonArray clusters = new JsonArray();
    for (Cluster cluster : compiled.clusters()) {
      JsonArray endpoints = new JsonArray();
      for (LocalityLbEndpoints locality : cluster.getLoadAssignment().getEndpointsList()) {
        for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
          var address = endpoint.getEndpoint().getAddress().getSocketAddress();
          endpoints.add(address.getAddress() + ":" + address.getPortValue());
        }
      }
      clusters.add(
          new JsonObject()
              .put("name", cluster.getName())
              .put("type", cluster.getType().name())
              .put("lb_policy", cluster.getLbPolicy().name())
              .put("endpoint", endpoints.isEmpty() ? null : endpoints.getString(0))
              .put("endpoints", endpoints)
              .put("health_checks", cluster.getHealthChecksCount() > 0)
              .put("outlier_detection", cluster.hasOutlierDetection())
              .put("tls", cluster.hasTransportSocket()));
    }
    JsonArray problems = new JsonArray();
    all.forEach(p -> problems.add(p.toString()));
    if (replicas != null) {
      out.put(
          "replicas",
          new JsonObject()
              .put("member", replicas.memberId())
              .put("leader", replicas.isLeader())
              .put("members", new JsonArray(replicas.members())));
    }
    return out.put("ready", true)
        .put("generation", state.generation())
        .put("applied_at", state.appliedAt().toString())
        .put("summary", loaded.summary())
        .put("resources", resources)
        .put("rejected", rejected)
        .put("problems", problems)
        .put("routes", routes)
        .put("clusters", clusters)
        .put(
            "xds",
            new JsonObject()
                .put("listeners_version", versions == null ? null : versions.listeners())
                .put("routes_version", versions == null ? null : versions.routes())
                .put("clusters_version", versions == null ? null : versions.clusters())
                .put("streams", xds.openStreams())
                .put("acks", xds.acks())
                .put("nacks", xds.nacks())
                .put("last_nack", xds.lastNack()));
  }

  /** Every route by {@code routeConfig/virtualHost/route}. */
  private static Map<String, Route> routesByName(CompiledConfig compiled) {
    Map<String, Route> out = new java.util.HashMap<>();
    for (RouteConfiguration config : compiled.routes()) {
      for (VirtualHost host : config.getVirtualHostsList()) {
        for (Route route : host.getRoutesList()) {
          out.put(config.getName() + "/" + host.getName() + "/" + route.getName(), route);
        }
      }
    }
    return out;
  }

  /** Whether the route is authorized: {@code on}, {@code bypassed} or {@code none}. */
  static String authz(Route route, boolean authService) {
    if (!authService) {
      return "none";
    }
    Any perRoute =
        route == null
            ? null
            : route.getTypedPerFilterConfigMap().get("envoy.filters.http.ext_authz");
    if (perRoute != null) {
      try {
        if (perRoute.unpack(ExtAuthzPerRoute.class).getDisabled()) {
          return "bypassed";
        }
      } catch (InvalidProtocolBufferException e) {
        return "on";
      }
    }
    return "on";
  }

  /** The route's rate-limit actions, one line per descriptor it sends. */
  static JsonArray rateLimits(Route route) {
    JsonArray out = new JsonArray();
    if (route != null && route.hasRoute()) {
      for (var limit : route.getRoute().getRateLimitsList()) {
        List<String> actions = new ArrayList<>();
        limit.getActionsList().forEach(a -> actions.add(TextFormat.shortDebugString(a)));
        out.add(String.join("; ", actions));
      }
    }
    return out;
  }

  private static JsonArray problems(List<ConfigError> problems) {
    JsonArray out = new JsonArray();
    if (problems != null) {
      for (ConfigError p : problems) {
        out.add(
            new JsonObject()
                .put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT))
                .put("source", p.source().toString())
                .put("message", p.message()));
      }
    }
    return out;
  }
}
