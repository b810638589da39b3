package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.host.Host.InsecureAction;
import dev.gatehouse.config.mapping.Mapping;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiler that keeps what it compiled last time and, given the next configuration, compiles
 * again only the routes whose Mappings changed. The output is the same, byte for byte, as {@link
 * Compiler}'s full compilation of the same resources ({@link Compiler} is this class with nothing
 * kept).
 *
 * <p>What is kept: the Mappings grouped by match in evaluation order ({@link RouteGroups}), and for
 * each group and host the compiled route with the problems it reported, the clusters it used and
 * its digest. A Mapping is "unchanged" when it is the same object as last time: edge-config's
 * watcher hands out the same {@code Resource} objects for files whose content did not change, so
 * nothing is compared field by field. Everything else (hosts, listeners, clusters, the Module's
 * defaults) is compiled on every call; when any resource other than a Mapping changed, or the
 * Kubernetes directory's Services, ports or Secrets did, nothing is kept, since every route may
 * depend on them (changed endpoints keep everything: see {@link ClusterDirectory#routingView}).
 *
 * <p>Compilations are serialized (one at a time).
 */
public final class IncrementalCompiler {
  private final CompilerOptions options;
  private final RouteGroups groups = new RouteGroups();
  private List<Resource<?>> lastOthers = List.of();
  private Object lastRouting;
  private int compiled;
  private int reused;

  public IncrementalCompiler(CompilerOptions options) {
    this.options = Objects.requireNonNull(options);
  }

  /** How many routes the last compilation compiled and how many it kept, for logs and tests. */
  public synchronized String lastStatistics() {
    return compiled + " routes compiled, " + reused + " kept";
  }

  synchronized int lastCompiled() {
    return compiled;
  }

  /** Compiles the resources, reusing the routes of the Mappings that did not change. */
  public synchronized CompiledConfig compile(LoadResult resources, ClusterDirectory directory) {
    compiled = 0;
    reused = 0;
    List<Resource<?>> others = new ArrayList<>();
    List<Resource<Mapping>> mappings = new ArrayList<>(resources.resources().size());
    for (Resource<?> resource : resources.resources()) {
      if (resource.kind() == Kind.MAPPING) {
        mappings.add(resource.as(Mapping.class));
      } else {
        others.add(resource);
      }
    }
    Object routing = directory.routingView();
    if (!others.equals(lastOthers) || !routing.equals(lastRouting)) {
      groups.clear();
      lastOthers = others;
      lastRouting = routing;
    }

    CompileContext ctx = new CompileContext(resources, directory);
    List<HostPlan> hosts = HostPlan.plan(resources, ctx);
    groups.update(mappings, ctx);
    RouteCompiler routes = new RouteCompiler(ctx);
    int expected = groups.size() * hosts.size();
    List<CompiledConfig.RouteRow> table = new ArrayList<>(expected);
    Map<VirtualHost, List<byte[]>> digests = new IdentityHashMap<>();

    RouteConfiguration.Builder http = RouteConfiguration.newBuilder().setName(Compiler.HTTP_ROUTES);
    RouteConfiguration.Builder https =
        RouteConfiguration.newBuilder().setName(Compiler.HTTPS_ROUTES);
    for (HostPlan host : hosts) {
      boolean tls = host.tls() != null;
      if (tls) {
        https.addVirtualHosts(
            virtualHost(host, routes, ctx, Compiler.HTTPS_ROUTES, table, digests));
      }
      if (!tls || host.insecure() == InsecureAction.ROUTE) {
        http.addVirtualHosts(virtualHost(host, routes, ctx, Compiler.HTTP_ROUTES, table, digests));
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
    listenerList.add(listeners.http(Compiler.HTTP_ROUTES));
    List<RouteConfiguration> routeList = new ArrayList<>(List.of(http.build()));
    Listener secure = listeners.https(hosts, Compiler.HTTPS_ROUTES);
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
        Compiler.secrets(ctx),
        Names.routesVersion(routeList, digests));
  }

  private VirtualHost virtualHost(
      HostPlan host,
      RouteCompiler routes,
      CompileContext ctx,
      String routeConfig,
      List<CompiledConfig.RouteRow> table,
      Map<VirtualHost, List<byte[]>> digests) {
    String name = host.virtualHostName();
    List<Route> vhostRoutes = new ArrayList<>(groups.size());
    List<byte[]> routeDigests = new ArrayList<>(groups.size());
    for (RouteGroups.Group group : groups.inEvaluationOrder()) {
      HostRoute kept = group.routes.get(host.hostname());
      HostRoute route;
      if (kept != null) {
        kept.replay(ctx);
        route = kept;
        reused++;
      } else {
        route = HostRoute.compile(group, host, routes, ctx);
        group.routes.put(host.hostname(), route);
        compiled++;
      }
      if (route.route() == null) {
        continue;
      }
      vhostRoutes.add(route.route());
      routeDigests.add(route.digest());
      table.add(route.row(routeConfig, name));
    }
    VirtualHost vhost =
        VirtualHost.newBuilder()
            .setName(name)
            .addDomains(host.hostname())
            .addAllRoutes(vhostRoutes)
            .build();
    digests.put(vhost, routeDigests);
    return vhost;
  }
}
