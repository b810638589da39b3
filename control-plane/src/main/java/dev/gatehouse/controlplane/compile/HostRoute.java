package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Mapping;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group of Mappings compiled for one host: the route (null when none of them compiled), with
 * what compiling it did to the rest of the compilation (problems reported, clusters used), so that
 * a later compilation can keep the route and replay those effects instead of compiling it again.
 */
final class HostRoute {
  private static final HostRoute NONE = new HostRoute(null, null, List.of(), List.of(), List.of());

  private final Route route;
  private final byte[] digest;
  private final List<ConfigError> problems;
  private final List<ClusterCompiler.Use> clusters;
  private final List<Resource<Mapping>> members;
  private final Map<String, CompiledConfig.RouteRow> rows = new HashMap<>(4);

  private HostRoute(
      Route route,
      byte[] digest,
      List<ConfigError> problems,
      List<ClusterCompiler.Use> clusters,
      List<Resource<Mapping>> members) {
    this.route = route;
    this.digest = digest;
    this.problems = problems;
    this.clusters = clusters;
    this.members = members;
  }

  /** Compiles the group's Mappings that the host takes. */
  static HostRoute compile(
      RouteGroups.Group group, HostPlan host, RouteCompiler routes, CompileContext ctx) {
    List<Resource<Mapping>> members = group.members.stream().filter(host::takes).toList();
    if (members.isEmpty()) {
      return NONE;
    }
    List<ConfigError> problems = new ArrayList<>();
    List<ClusterCompiler.Use> clusters = new ArrayList<>();
    ctx.record(problems);
    ctx.clusters.record(clusters);
    Route route;
    try {
      route = routes.compile(group.key, members, host.hostname());
    } finally {
      ctx.record(null);
      ctx.clusters.record(null);
    }
    return new HostRoute(
        route,
        route == null ? null : Names.digest(route),
        List.copyOf(problems),
        List.copyOf(clusters),
        members);
  }

  Route route() {
    return route;
  }

  /** The SHA-256 of the route's deterministic serialization (see {@link Names#routesVersion}). */
  byte[] digest() {
    return digest;
  }

  /** Does to a new compilation what compiling the route did: the same problems and clusters. */
  void replay(CompileContext ctx) {
    if (!problems.isEmpty()) {
      problems.forEach(ctx::add);
    }
    for (int i = 0; i < clusters.size(); i++) {
      ctx.clusters.reuse(clusters.get(i));
    }
  }

  /** The route's row of the diag page's route table. */
  CompiledConfig.RouteRow row(String routeConfig, String vhost) {
    // One host, so one virtual host name: the route configuration tells the two rows apart.
    CompiledConfig.RouteRow row = rows.get(routeConfig);
    if (row == null) {
      row = row(routeConfig, vhost, route);
      rows.put(routeConfig, row);
    }
    return row;
  }

  private CompiledConfig.RouteRow row(String routeConfig, String vhost, Route route) {
    List<String> clusterNames = new ArrayList<>();
    if (route.hasRoute()) {
      if (route.getRoute().hasWeightedClusters()) {
        route
            .getRoute()
            .getWeightedClusters()
            .getClustersList()
            .forEach(c -> clusterNames.add(c.getName() + " (" + c.getWeight().getValue() + "%)"));
      } else {
        clusterNames.add(route.getRoute().getCluster());
      }
      route
          .getRoute()
          .getRequestMirrorPoliciesList()
          .forEach(m -> clusterNames.add(m.getCluster() + " (shadow)"));
    } else if (route.hasRedirect()) {
      clusterNames.add("redirect to " + route.getRedirect().getHostRedirect());
    }
    Map<String, String> ids = new LinkedHashMap<>();
    members.forEach(m -> ids.put(m.id(), m.source().toString()));
    return new CompiledConfig.RouteRow(
        routeConfig,
        vhost,
        route.getName(),
        describe(route),
        clusterNames,
        List.copyOf(ids.keySet()),
        List.copyOf(ids.values()));
  }

  private static String describe(Route route) {
    var match = route.getMatch();
    StringBuilder out = new StringBuilder();
    if (match.hasSafeRegex()) {
      out.append("regex ").append(match.getSafeRegex().getRegex());
    } else if (!match.getPath().isEmpty()) {
      out.append("path ").append(match.getPath());
    } else {
      out.append("prefix ").append(match.getPrefix());
    }
    match
        .getHeadersList()
        .forEach(
            h ->
                out.append(" ")
                    .append(h.getName())
                    .append("=")
                    .append(
                        h.getStringMatch().hasSafeRegex()
                            ? "~" + h.getStringMatch().getSafeRegex().getRegex()
                            : h.getStringMatch().getExact()));
    match.getQueryParametersList().forEach(q -> out.append(" ?").append(q.getName()));
    return out.toString();
  }
}
