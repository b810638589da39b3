package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Mapping;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.Service;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Compiles one group of Mappings with the same match (see {@link RouteKey}) to one Envoy route. The
 * route's settings (timeouts, rewrites, headers, ...) come from the group's first Mapping by {@code
 * namespace/name}; the others contribute only their upstream and weight, as in Emissary.
 */
final class RouteCompiler {
  private final CompileContext ctx;
  private final RouteFeatures features;

  RouteCompiler(CompileContext ctx) {
    this.ctx = ctx;
    this.features = new RouteFeatures(ctx);
  }

  private String clusterFor(ClusterSpec spec) {
    return ctx.clusters.clusterFor(spec);
  }

  /** The route for a group, or null when none of its Mappings compiled. */
  Route compile(RouteKey key, List<Resource<Mapping>> group, String virtualHostName) {
    Resource<Mapping> primary = group.get(0);
    Mapping m = primary.spec();
    Route.Builder route =
        Route.newBuilder().setName(key.routeName()).setMatch(match(key, virtualHostName));
    if (m.hostRedirect()) {
      route.setRedirect(redirect(m));
    } else {
      RouteAction.Builder action = RouteAction.newBuilder();
      if (!upstreams(group, action)) {
        return null;
      }
      settings(primary, action);
      route.setRoute(action);
    }
    route.addAllRequestHeadersToAdd(Protos.headersToAdd(m.addRequestHeaders()));
    route.addAllRequestHeadersToRemove(m.removeRequestHeaders());
    route.addAllResponseHeadersToAdd(Protos.headersToAdd(m.addResponseHeaders()));
    route.addAllResponseHeadersToRemove(m.removeResponseHeaders());
    features.perFilterConfig(primary).forEach(route::putTypedPerFilterConfig);
    return route.build();
  }

  private static RouteMatch match(RouteKey key, String virtualHostName) {
    RouteMatch.Builder match = RouteMatch.newBuilder();
    if (key.prefixRegex()) {
      match.setSafeRegex(Protos.re2(key.prefix()));
    } else if (key.prefixExact()) {
      match.setPath(key.prefix());
    } else {
      match.setPrefix(key.prefix());
    }
    if (!key.caseSensitive()) {
      match.setCaseSensitive(com.google.protobuf.BoolValue.of(false));
    }
    if (needsAuthorityMatch(key.hostname(), virtualHostName)) {
      boolean glob = key.hostname().contains("*");
      match.addHeaders(
          header(":authority", glob ? Hostnames.toRegex(key.hostname()) : key.hostname(), glob));
    }
    if (key.hostRegex() != null) {
      match.addHeaders(header(":authority", key.hostRegex(), true));
    }
    if (key.method() != null) {
      match.addHeaders(header(":method", key.method(), key.methodRegex()));
    }
    key.headers().forEach((name, value) -> match.addHeaders(header(name, value, false)));
    key.regexHeaders().forEach((name, value) -> match.addHeaders(header(name, value, true)));
    query(match, key.queryParameters(), false);
    query(match, key.regexQueryParameters(), true);
    return match.build();
  }

  /** A Mapping for one host, in a virtual host that also takes others, checks the authority. */
  private static boolean needsAuthorityMatch(String mappingHost, String virtualHostName) {
    return !mappingHost.equals("*") && !Hostnames.covers(mappingHost, virtualHostName);
  }

  private static HeaderMatcher header(String name, String value, boolean regex) {
    return HeaderMatcher.newBuilder()
        .setName(name)
        .setStringMatch(regex ? Protos.regex(value) : Protos.exact(value))
        .build();
  }

  private static void query(
      RouteMatch.Builder match, SortedMap<String, String> params, boolean re) {
    params.forEach(
        (name, value) ->
            match.addQueryParameters(
                QueryParameterMatcher.newBuilder()
                    .setName(name)
                    .setStringMatch(re ? Protos.regex(value) : Protos.exact(value))));
  }

  /**
   * The cluster, or weighted clusters: Mappings with a weight get it, the others share what is left
   * of 100 (the first ones by name get the odd units). Shadows become mirrors.
   */
  private boolean upstreams(List<Resource<Mapping>> group, RouteAction.Builder action) {
    Map<String, Integer> weighted = new LinkedHashMap<>();
    List<Resource<Mapping>> unweighted = new ArrayList<>();
    int explicit = 0;
    List<String> traffic = new ArrayList<>();
    List<Resource<Mapping>> resolved = new ArrayList<>();
    Map<Resource<Mapping>, String> clusterOf = new java.util.IdentityHashMap<>();
    for (Resource<Mapping> mapping : group) {
      try {
        clusterOf.put(mapping, clusterFor(clusterSpec(mapping)));
        resolved.add(mapping);
      } catch (IllegalArgumentException e) {
        ctx.error(
            mapping,
            "spec.service",
            "spec.service: \"" + mapping.spec().service() + "\": " + e.getMessage());
      }
    }
    if (resolved.isEmpty()) {
      return false;
    }
    for (Resource<Mapping> mapping : resolved) {
      String cluster = clusterOf.get(mapping);
      if (mapping.spec().shadow()) {
        RouteAction.RequestMirrorPolicy.Builder mirror =
            RouteAction.RequestMirrorPolicy.newBuilder().setCluster(cluster);
        if (mapping.spec().weight() != null) {
          mirror.setRuntimeFraction(
              RuntimeFractionalPercent.newBuilder()
                  .setDefaultValue(
                      FractionalPercent.newBuilder().setNumerator(mapping.spec().weight())));
        }
        action.addRequestMirrorPolicies(mirror);
        continue;
      }
      traffic.add(cluster);
      if (mapping.spec().weight() != null) {
        explicit += mapping.spec().weight();
        weighted.merge(cluster, mapping.spec().weight(), Integer::sum);
      } else {
        unweighted.add(mapping);
        weighted.putIfAbsent(cluster, 0);
      }
    }
    if (traffic.isEmpty()) {
      ctx.error(
          group.get(0),
          "spec.shadow",
          "true for every Mapping of this match (expected: "
              + "at least one Mapping that is not a shadow)");
      return false;
    }
    if (traffic.size() == 1) {
      action.setCluster(traffic.get(0));
      return true;
    }
    int remainder = Math.max(0, 100 - explicit);
    for (int i = 0; i < unweighted.size(); i++) {
      int share = remainder / unweighted.size() + (i < remainder % unweighted.size() ? 1 : 0);
      String cluster = clusterOf.get(unweighted.get(i));
      weighted.merge(cluster, share, Integer::sum);
    }
    WeightedCluster.Builder clusters = WeightedCluster.newBuilder();
    weighted.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                clusters.addClusters(
                    WeightedCluster.ClusterWeight.newBuilder()
                        .setName(e.getKey())
                        .setWeight(Protos.uint32(e.getValue()))));
    if (weighted.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      ctx.error(
          group.get(0),
          "spec.weight",
          "0 for every Mapping of this match (expected: a " + "total weight above 0)");
      return false;
    }
    action.setWeightedClusters(clusters);
    return true;
  }

  private void settings(Resource<Mapping> primary, RouteAction.Builder action) {
    Mapping m = primary.spec();
    if (m.regexRewrite() != null) {
      action.setRegexRewrite(
          RegexMatchAndSubstitute.newBuilder()
              .setPattern(Protos.re2(m.regexRewrite().pattern()))
              .setSubstitution(m.regexRewrite().substitution()));
    } else if (!m.rewrite().isEmpty()) {
      action.setPrefixRewrite(m.rewrite());
    }
    if (m.hostRewrite() != null) {
      action.setHostRewriteLiteral(m.hostRewrite());
    } else if (m.autoHostRewrite()) {
      action.setAutoHostRewrite(com.google.protobuf.BoolValue.of(true));
    }
    action.setTimeout(Protos.millis(m.timeoutMs()));
    if (m.idleTimeoutMs() != null) {
      action.setIdleTimeout(Protos.millis(m.idleTimeoutMs()));
    }
    features.retryPolicy(m).ifPresent(action::setRetryPolicy);
    for (String protocol : m.upgrades()) {
      action.addUpgradeConfigs(
          RouteAction.UpgradeConfig.newBuilder()
              .setUpgradeType(protocol)
              .setEnabled(com.google.protobuf.BoolValue.of(true)));
    }
    action.addAllHashPolicy(features.hashPolicies(loadBalancer(m)));
    action.addAllRateLimits(features.rateLimits(primary));
  }

  private static RedirectAction redirect(Mapping m) {
    Service target = m.upstream();
    RedirectAction.Builder redirect = RedirectAction.newBuilder().setHostRedirect(target.host());
    String written = m.service().strip();
    if (written.replaceFirst("^[a-zA-Z]+://", "").matches(".*:\\d+/?$")) {
      redirect.setPortRedirect(target.port());
    }
    if (target.tls()) {
      redirect.setHttpsRedirect(true);
    }
    if (m.pathRedirect() != null) {
      redirect.setPathRedirect(m.pathRedirect());
    } else if (m.prefixRedirect() != null) {
      redirect.setPrefixRewrite(m.prefixRedirect());
    } else if (m.regexRedirect() != null) {
      redirect.setRegexRewrite(
          RegexMatchAndSubstitute.newBuilder()
              .setPattern(Protos.re2(m.regexRedirect().pattern()))
              .setSubstitution(m.regexRedirect().substitution()));
    }
    if (m.redirectResponseCode() != null) {
      redirect.setResponseCode(
          switch (m.redirectResponseCode()) {
            case 302 -> RedirectResponseCode.FOUND;
            case 303 -> RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectResponseCode.MOVED_PERMANENTLY;
          });
    }
    return redirect.build();
  }

  private LoadBalancer loadBalancer(Mapping m) {
    return m.loadBalancer() != null ? m.loadBalancer() : ctx.module.loadBalancer();
  }

  /** The cluster settings of one Mapping, with the Module's defaults where it has none. */
  ClusterSpec clusterSpec(Resource<Mapping> resource) {
    Mapping m = resource.spec();
    Service upstream = m.upstream();
    LoadBalancer lb = loadBalancer(m);
    return new ClusterSpec(
        upstream.host(),
        upstream.port(),
        upstream.tls(),
        m.tls() == null ? null : ctx.tlsContexts.get(m.tls()).spec(),
        m.grpc(),
        m.connectTimeoutMs() != null
            ? m.connectTimeoutMs()
            : ClusterSpec.DEFAULT_CONNECT_TIMEOUT_MS,
        m.clusterIdleTimeoutMs() != null
            ? m.clusterIdleTimeoutMs()
            : ctx.module.clusterIdleTimeoutMs(),
        m.clusterMaxConnectionLifetimeMs() != null
            ? m.clusterMaxConnectionLifetimeMs()
            : ctx.module.clusterMaxConnectionLifetimeMs(),
        lb == null ? LoadBalancer.Policy.ROUND_ROBIN : lb.policy(),
        m.circuitBreakers().isEmpty() ? ctx.module.circuitBreakers() : m.circuitBreakers(),
        m.outlierDetection(),
        m.healthChecks(),
        m.clusterTag(),
        eds(resource, upstream));
  }

  /**
   * The Kubernetes Service port a Mapping's upstream names, when the cluster knows that Service;
   * null for a DNS name or IP (and in the directory mode).
   *
   * @throws IllegalArgumentException when the Service exists without that port
   */
  private String eds(Resource<Mapping> resource, Service upstream) {
    boolean portWritten =
        resource.spec().service().strip().replaceFirst("^[a-zA-Z]+://", "").matches(".*:\\d+/?$");
    return ctx.directory
        .resolve(upstream.host(), upstream.port(), portWritten, resource.namespace())
        .map(ClusterDirectory.Target::id)
        .orElse(null);
  }
}
