package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.host.Host.InsecureAction;
import dev.gatehouse.config.mapping.Mapping;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles loaded resources to Envoy xDS: listeners, route configurations (over RDS) and clusters.
 * Pure and deterministic: the same resources give byte-identical output, whatever their order.
 * Stateless, so one instance may compile on several threads.
 */
public final class Compiler {
  /** The RDS names of the two route configurations. */
  public static final String HTTP_ROUTES = "routes-http";

  public static final String HTTPS_ROUTES = "routes-https";

  private final CompilerOptions options;

  public Compiler(CompilerOptions options) {
    this.options = options;
  }

  public Compiler() {
    this(CompilerOptions.DEFAULTS);
  }

  public CompiledConfig compile(LoadResult resources) {
    return compile(resources, ClusterDirectory.NONE);
  }

  /**
   * Compiles with what Kubernetes knows: upstreams that name a Service become EDS clusters with its
   * ready endpoints, and the TLS Secrets that hosts use are served over SDS.
   */
  public CompiledConfig compile(LoadResult resources, ClusterDirectory directory) {
    CompileContext ctx = new CompileContext(resources, directory);
    List<HostPlan> hosts = HostPlan.plan(resources, ctx);
    Map<RouteKey, List<Resource<Mapping>>> groups = groups(resources, ctx);
    RouteCompiler routes = new RouteCompiler(ctx);
    List<CompiledConfig.RouteRow> table = new ArrayList<>();

    RouteConfiguration.Builder http = RouteConfiguration.newBuilder().setName(HTTP_ROUTES);
    RouteConfiguration.Builder https = RouteConfiguration.newBuilder().setName(HTTPS_ROUTES);
    for (HostPlan host : hosts) {
      boolean tls = host.tls() != null;
      if (tls) {
        https.addVirtualHosts(virtualHost(host, groups, routes, HTTPS_ROUTES, table));
      }
      if (!tls || host.insecure() == InsecureAction.ROUTE) {
        http.addVirtualHosts(virtualHost(host, groups, routes, HTTP_ROUTES, table));
      } else if (host.insecure() == InsecureAction.REDIRECT) {
        http.addVirtualHosts(
            VirtualHost.newBuilder()
                .setName(host.virtualHostName())
                .addDomains(host.hostname())
                .setRequireTls(VirtualHost.TlsRequirementType.ALL));
      }
      // Reject: the host is left out of the cleartext routes, so Envoy answers 404.
    }

    ListenerCompiler listeners = new ListenerCompiler(ctx, options);
    List<Listener> listenerList = new ArrayList<>();
    listenerList.add(listeners.http(HTTP_ROUTES));
    List<RouteConfiguration> routeList = new ArrayList<>(List.of(http.build()));
    Listener secure = listeners.https(hosts, HTTPS_ROUTES);
    if (secure != null) {
      listenerList.add(secure);
      routeList.add(https.build());
    }
    listenerList.sort(Comparator.comparing(Listener::getName));
    routeList.sort(Comparator.comparing(RouteConfiguration::getName));
    return new CompiledConfig(
        listenerList,
        routeList,
        ctx.clusters.clusters(),
        ctx.problems,
        table,
        ctx.clusters.assignments(),
        secrets(ctx));
  }

  /** The certificates in use that Kubernetes has, as SDS secrets with inline PEM. */
  private static List<Secret> secrets(CompileContext ctx) {
    List<Secret> out = new ArrayList<>();
    for (String name : ctx.secretsUsed) {
      ClusterDirectory.TlsSecret secret = ctx.directory.secrets().get(name);
      if (secret != null) {
        out.add(
            Secret.newBuilder()
                .setName(name)
                .setTlsCertificate(
                    TlsCertificate.newBuilder()
                        .setCertificateChain(
                            DataSource.newBuilder().setInlineString(secret.certificateChain()))
                        .setPrivateKey(
                            DataSource.newBuilder().setInlineString(secret.privateKey())))
                .build());
      }
    }
    return out;
  }

  /**
   * The Mappings grouped by match, groups in Emissary's evaluation order, members by
   * namespace/name. A Mapping that names an unknown TLSContext is reported and left out.
   */
  private static Map<RouteKey, List<Resource<Mapping>>> groups(
      LoadResult resources, CompileContext ctx) {
    Map<RouteKey, List<Resource<Mapping>>> groups = new TreeMap<>(RouteKey.EVALUATION_ORDER);
    List<Resource<Mapping>> mappings =
        new ArrayList<>(resources.ofKind(Kind.MAPPING, Mapping.class));
    mappings.sort(Comparator.comparing(Resource::qualifiedName));
    for (Resource<Mapping> mapping : mappings) {
      String tls = mapping.spec().tls();
      if (tls != null && !ctx.tlsContexts.containsKey(tls)) {
        ctx.error(mapping, "spec.tls", "\"" + tls + "\" (expected: the name of a TLSContext)");
        continue;
      }
      groups.computeIfAbsent(RouteKey.of(mapping.spec()), k -> new ArrayList<>()).add(mapping);
    }
    return groups;
  }

  private static VirtualHost virtualHost(
      HostPlan host,
      Map<RouteKey, List<Resource<Mapping>>> groups,
      RouteCompiler routes,
      String routeConfig,
      List<CompiledConfig.RouteRow> table) {
    VirtualHost.Builder vhost =
        VirtualHost.newBuilder().setName(host.virtualHostName()).addDomains(host.hostname());
    for (Map.Entry<RouteKey, List<Resource<Mapping>>> group : groups.entrySet()) {
      List<Resource<Mapping>> members = group.getValue().stream().filter(host::takes).toList();
      if (members.isEmpty()) {
        continue;
      }
      Route route = routes.compile(group.getKey(), members, host.hostname());
      if (route == null) {
        continue;
      }
      vhost.addRoutes(route);
      table.add(row(routeConfig, vhost.getName(), route, members));
    }
    return vhost.build();
  }

  private static CompiledConfig.RouteRow row(
      String routeConfig, String vhost, Route route, List<Resource<Mapping>> members) {
    List<String> clusters = new ArrayList<>();
    if (route.hasRoute()) {
      if (route.getRoute().hasWeightedClusters()) {
        route
            .getRoute()
            .getWeightedClusters()
            .getClustersList()
            .forEach(c -> clusters.add(c.getName() + " (" + c.getWeight().getValue() + "%)"));
      } else {
        clusters.add(route.getRoute().getCluster());
      }
      route
          .getRoute()
          .getRequestMirrorPoliciesList()
          .forEach(m -> clusters.add(m.getCluster() + " (shadow)"));
    } else if (route.hasRedirect()) {
      clusters.add("redirect to " + route.getRedirect().getHostRedirect());
    }
    Map<String, String> ids = new LinkedHashMap<>();
    members.forEach(m -> ids.put(m.id(), m.source().toString()));
    return new CompiledConfig.RouteRow(
        routeConfig,
        vhost,
        route.getName(),
        describe(route),
        clusters,
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
