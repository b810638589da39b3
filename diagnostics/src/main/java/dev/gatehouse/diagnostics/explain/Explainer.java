package dev.gatehouse.diagnostics.explain;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.proxy.proxy.ListenerSettings;
import dev.gatehouse.proxy.routing.Action;
import dev.gatehouse.proxy.routing.CompiledRoute;
import dev.gatehouse.proxy.routing.RouteRequest;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.xds.ListenerTranslator;
import dev.gatehouse.proxy.xds.XdsException;
import dev.gatehouse.proxy.xds.XdsResources;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Explain this request": what Gatehouse would do with one request under one configuration, found
 * by the services' own code rather than a re-implementation — the compiled xDS goes through
 * edge-proxy's {@link XdsResources} and {@link RouteTable}, the FilterPolicy rule comes from
 * ext-authz's policy, the limits from ratelimit-service's descriptor tree. Pure and blocking-free;
 * the result is JSON.
 */
public final class Explainer {
  /** How many routes that did not match are shown, nearest first. */
  public static final int NEAR_MISSES = 3;

  /** edge-proxy's node cluster as the launcher sets it, the {@code source_cluster} descriptor. */
  static final String SOURCE_CLUSTER = "edge-proxy";

  private final LoadResult loaded;
  private final CompiledConfig compiled;
  private final XdsResources xds;
  private final Map<String, CompiledConfig.RouteRow> rows = new HashMap<>();

  /**
   * @throws XdsException when edge-proxy would refuse the compiled configuration itself
   */
  public Explainer(LoadResult loaded, CompiledConfig compiled) {
    this.loaded = loaded;
    this.compiled = compiled;
    this.xds =
        XdsResources.EMPTY
            .with(XdsResources.CDS, pack(compiled.clusters()))
            .with(XdsResources.LDS, pack(compiled.listeners()))
            .with(XdsResources.RDS, pack(compiled.routes()));
    for (CompiledConfig.RouteRow row : compiled.routeTable()) {
      rows.put(key(row.routeConfig(), row.virtualHost(), row.route()), row);
    }
  }

  /**
   * Adds to each row of the diag page's route table the FilterPolicy rule for a request to the
   * route's prefix on its virtual host ({@code filter_policy}), and the limits its request-free
   * descriptors (generic keys, clusters) hit ({@code limits}); descriptors built from headers or
   * the client address depend on the request, so explain answers for those.
   */
  public void annotateRoutes(JsonArray routes) {
    AuthzExplainer authz = new AuthzExplainer(loaded);
    RateLimitExplainer limits = new RateLimitExplainer(loaded);
    Map<String, Map.Entry<RouteTable.Host, CompiledRoute>> byKey = new HashMap<>();
    xds.routeTables()
        .forEach(
            (name, table) ->
                table
                    .hosts()
                    .forEach(
                        h ->
                            h.routes()
                                .forEach(
                                    r ->
                                        byKey.put(
                                            key(name, h.virtualHost().getName(), r.name()),
                                            Map.entry(h, r)))));
    for (Object item : routes) {
      JsonObject row = (JsonObject) item;
      var found =
          byKey.get(
              key(
                  row.getString("route_config"),
                  row.getString("virtual_host"),
                  row.getString("route")));
      if (found == null) {
        continue;
      }
      CompiledRoute route = found.getValue();
      String host =
          found.getKey().virtualHost().getDomainsList().stream()
              .filter(d -> !d.contains("*"))
              .findFirst()
              .orElse("*");
      var match = route.route().getMatch();
      String path = match.hasPrefix() ? match.getPrefix() : match.hasPath() ? match.getPath() : "/";
      ExplainRequest sample =
          new ExplainRequest("GET", "http", host, path.isEmpty() ? "/" : path, List.of(), null);
      RouteRequest routed =
          new RouteRequest("GET", host, sample.path(), MultiMap.caseInsensitiveMultiMap());
      Optional<ListenerSettings> listener = listenerFor(row.getString("route_config"));
      JsonObject rule =
          authz.explain(
              sample,
              listener.map(l -> l.authz() != null).orElse(false),
              route.overrides(),
              routed);
      row.put(
          "filter_policy",
          rule.containsKey("rule") ? rule.getString("rule") : rule.getString("status"));
      JsonArray limited =
          limits.explainRequestFree(
              listener.map(ListenerSettings::rateLimit).orElse(null), route.action());
      row.put("limits", limited);
    }
  }

  private Optional<ListenerSettings> listenerFor(String routeConfig) {
    for (ListenerTranslator.ListenerSpec spec : xds.listenerSpecs().values()) {
      for (ListenerTranslator.Chain chain : spec.chains()) {
        if (chain.http().routeConfigName().equals(routeConfig)) {
          return Optional.of(chain.http());
        }
      }
    }
    return Optional.empty();
  }

  private static List<Any> pack(List<? extends Message> resources) {
    return resources.stream().map(Any::pack).toList();
  }

  public JsonObject explain(ExplainRequest request) {
    JsonObject out = new JsonObject().put("request", describe(request));
    Optional<ListenerSettings> listener = listener(request);
    if (listener.isEmpty()) {
      return out.put(
          "verdict",
          "no listener serves "
              + request.scheme()
              + (request.scheme().equals("https") ? " for SNI " + request.host() : "")
              + ": the connection would be refused");
    }
    ListenerSettings http = listener.get();
    out.put("listener", http.name()).put("route_config", http.routeConfigName());
    RouteTable table = xds.routeTables().get(http.routeConfigName());
    if (table == null) {
      return out.put("verdict", "route configuration " + http.routeConfigName() + " is missing");
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
    RouteRequest routed =
        new RouteRequest(request.method(), request.host(), request.path(), headers);
    Optional<RouteTable.Host> host = table.host(request.host());
    host.ifPresent(
        h ->
            out.put(
                "virtual_host",
                new JsonObject()
                    .put("name", h.virtualHost().getName())
                    .put("domains", new JsonArray(h.virtualHost().getDomainsList()))));
    Optional<RouteTable.Match> match = table.match(routed);
    out.put("near_misses", nearMisses(table, host.orElse(null), routed, match));
    if (match.isEmpty()) {
      return out.put(
          "verdict",
          host.isEmpty()
              ? "404: no virtual host serves " + request.host()
              : "404: no route of virtual host " + host.get().virtualHost().getName() + " matches");
    }
    CompiledRoute route = match.get().route();
    out.put("match", route(http.routeConfigName(), match.get().host(), route, List.of()));
    Action action = route.action();
    out.put("action", action(action));
    out.put(
        "authz",
        new AuthzExplainer(loaded)
            .explain(request, http.authz() != null, route.overrides(), routed));
    String target =
        action instanceof Action.Forward forward && !forward.targets().isEmpty()
            ? forward.targets().get(0).cluster()
            : "";
    out.put(
        "rate_limit",
        new RateLimitExplainer(loaded)
            .explain(http.rateLimit(), action, routed, request.clientAddress(), target));
    boolean checked = "checked".equals(out.getJsonObject("authz").getString("status"));
    return out.put("verdict", (checked ? "if ext_authz allows it, " : "") + verdict(action));
  }

  /** The listener that would take the request, and its HTTP settings (chain by SNI for https). */
  private Optional<ListenerSettings> listener(ExplainRequest request) {
    boolean tls = request.scheme().equals("https");
    for (ListenerTranslator.ListenerSpec spec : xds.listenerSpecs().values()) {
      if (spec.tls() != tls) {
        continue;
      }
      ListenerTranslator.Chain any = null;
      for (ListenerTranslator.Chain chain : spec.chains()) {
        if (chain.serverNames().isEmpty()) {
          any = chain;
        } else if (chain.serverNames().stream().anyMatch(n -> sniMatches(n, request.host()))) {
          return Optional.of(chain.http());
        }
      }
      if (any != null) {
        return Optional.of(any.http());
      }
    }
    return Optional.empty();
  }

  private static boolean sniMatches(String serverName, String host) {
    String name = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
    return serverName.startsWith("*.")
        ? name.endsWith(serverName.substring(1))
        : serverName.equalsIgnoreCase(name);
  }

  private JsonArray nearMisses(
      RouteTable table,
      RouteTable.Host selected,
      RouteRequest request,
      Optional<RouteTable.Match> match) {
    // Nearest first: a wrong header is nearer than a wrong path, which is nearer than a wrong host.
    record Miss(JsonObject row, int distance, int order) {}
    List<Miss> misses = new ArrayList<>();
    int order = 0;
    for (RouteTable.Host host : table.hosts()) {
      for (CompiledRoute route : host.routes()) {
        order++;
        if (match.isPresent() && match.get().route() == route) {
          continue;
        }
        List<String> failed = new ArrayList<>();
        int distance = 0;
        if (host != selected) {
          distance += 4;
          failed.add(
              "host: "
                  + request.authority()
                  + (selected == null
                      ? " selects no virtual host"
                      : " selects virtual host " + selected.virtualHost().getName())
                  + "; this route is in "
                  + host.virtualHost().getName()
                  + " (domains "
                  + host.virtualHost().getDomainsList()
                  + ")");
        }
        List<String> own = route.failedConditions(request);
        failed.addAll(own);
        for (String condition : own) {
          distance += condition.startsWith("header ") || condition.startsWith("query ") ? 1 : 2;
        }
        if (failed.isEmpty()) {
          // Matches, but an earlier route took the request: shadowed.
          failed.add("matches too, but the matched route comes first");
        }
        misses.add(new Miss(route(table.name(), host, route, failed), distance, order));
      }
    }
    misses.sort(Comparator.comparingInt(Miss::distance).thenComparingInt(Miss::order));
    JsonArray out = new JsonArray();
    misses.stream().limit(NEAR_MISSES).forEach(m -> out.add(m.row()));
    return out;
  }

  private JsonObject route(
      String routeConfig, RouteTable.Host host, CompiledRoute route, List<String> failed) {
    CompiledConfig.RouteRow row =
        rows.get(key(routeConfig, host.virtualHost().getName(), route.name()));
    JsonObject out =
        new JsonObject()
            .put("route", route.name())
            .put("virtual_host", host.virtualHost().getName())
            .put("match", row == null ? route.route().getMatch().toString() : row.match())
            .put("mappings", row == null ? new JsonArray() : new JsonArray(row.mappings()))
            .put("sources", row == null ? new JsonArray() : new JsonArray(row.sources()));
    if (!failed.isEmpty()) {
      out.put("failed", new JsonArray(failed));
    }
    return out;
  }

  private JsonObject action(Action action) {
    if (action instanceof Action.Forward forward) {
      JsonArray clusters = new JsonArray();
      for (Action.WeightedTarget target : forward.targets()) {
        clusters.add(cluster(target.cluster()).put("weight", target.weight()));
      }
      return new JsonObject()
          .put("type", "forward")
          .put("total_weight", forward.totalWeight())
          .put("clusters", clusters)
          .put("timeout", forward.timeout() == null ? null : forward.timeout().toString())
          .put("mirrors", new JsonArray(forward.mirrors()));
    }
    if (action instanceof Action.Redirect redirect) {
      return new JsonObject()
          .put("type", "redirect")
          .put("status", redirect.status())
          .put("scheme", redirect.scheme())
          .put("host", redirect.host())
          .put("path", redirect.path());
    }
    Action.Direct direct = (Action.Direct) action;
    return new JsonObject().put("type", "direct").put("status", direct.status());
  }

  private JsonObject cluster(String name) {
    JsonObject out = new JsonObject().put("name", name);
    ClusterSettings settings = xds.clusterSettings().get(name);
    if (settings == null) {
      return out.put("error", "cluster " + name + " is not configured: the proxy answers 503");
    }
    JsonArray endpoints = new JsonArray();
    for (Endpoint endpoint : settings.endpoints()) {
      endpoints.add(endpoint.host() + ":" + endpoint.port());
    }
    return out.put("lb_policy", settings.policy().name())
        .put("endpoints", endpoints)
        .put("health_check", settings.healthCheck() != null)
        .put("outlier_detection", settings.outlier() != null)
        .put("tls", settings.tls() != null);
  }

  private static String verdict(Action action) {
    if (action instanceof Action.Forward forward) {
      return "forwarded to "
          + forward.targets().stream()
              .map(t -> t.cluster() + " (weight " + t.weight() + "/" + forward.totalWeight() + ")")
              .toList();
    }
    if (action instanceof Action.Redirect redirect) {
      return "redirected with " + redirect.status();
    }
    return "answered directly with " + ((Action.Direct) action).status();
  }

  private static JsonObject describe(ExplainRequest request) {
    JsonArray headers = new JsonArray();
    request.headers().forEach(h -> headers.add(h.getKey() + ": " + h.getValue()));
    return new JsonObject()
        .put("method", request.method())
        .put("scheme", request.scheme())
        .put("host", request.host())
        .put("path", request.path())
        .put("headers", headers)
        .put("client_address", request.clientAddress());
  }

  private static String key(String routeConfig, String virtualHost, String route) {
    return routeConfig + "/" + virtualHost + "/" + route;
  }
}
