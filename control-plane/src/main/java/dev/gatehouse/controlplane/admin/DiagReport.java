package dev.gatehouse.controlplane.admin;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.controlplane.ConfigState;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.controlplane.xds.SnapshotPublisher;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
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
    JsonArray routes = new JsonArray();
    for (CompiledConfig.RouteRow row : compiled.routeTable()) {
      routes.add(
          new JsonObject()
              .put("route_config", row.routeConfig())
              .put("virtual_host", row.virtualHost())
              .put("route", row.route())
              .put("match", row.match())
              .put("clusters", new JsonArray(row.clusters()))
              .put("mappings", new JsonArray(row.mappings()))
              .put("sources", new JsonArray(row.sources())));
    }
    JsonArray clusters = new JsonArray();
    for (Cluster cluster : compiled.clusters()) {
      var address =
          cluster
              .getLoadAssignment()
              .getEndpoints(0)
              .getLbEndpoints(0)
              .getEndpoint()
              .getAddress()
              .getSocketAddress();
      clusters.add(
          new JsonObject()
              .put("name", cluster.getName())
              .put("type", cluster.getType().name())
              .put("lb_policy", cluster.getLbPolicy().name())
              .put("endpoint", address.getAddress() + ":" + address.getPortValue())
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
