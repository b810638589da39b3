package dev.gatehouse.proxy.routing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles a route's action and per-filter configuration once, so requests only read them. */
final class ActionCompiler {
  static final String EXT_AUTHZ = "envoy.filters.http.ext_authz";
  static final String CORS = "envoy.filters.http.cors";
  // Envoy's default route timeout when the route sets none.
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private ActionCompiler() {}

  static Action compile(Route route, String where) {
    return switch (route.getActionCase()) {
      case ROUTE -> forward(route.getRoute(), where);
      case REDIRECT -> redirect(route.getRedirect(), where);
      case DIRECT_RESPONSE -> direct(route.getDirectResponse());
      default ->
          throw new XdsException(
              where + ": action " + route.getActionCase() + " is not supported by edge-proxy");
    };
  }

  private static Action.Forward forward(RouteAction action, String where) {
    List<Action.WeightedTarget> targets = new ArrayList<>();
    switch (action.getClusterSpecifierCase()) {
      case CLUSTER ->
          targets.add(
              new Action.WeightedTarget(action.getCluster(), 1, HeaderOps.NONE, HeaderOps.NONE));
      case WEIGHTED_CLUSTERS -> {
        for (WeightedCluster.ClusterWeight weight :
            action.getWeightedClusters().getClustersList()) {
          String at = where + " weighted cluster " + weight.getName();
          targets.add(
              new Action.WeightedTarget(
                  weight.getName(),
                  weight.getWeight().getValue(),
                  HeaderOps.compile(
                      weight.getRequestHeadersToAddList(),
                      weight.getRequestHeadersToRemoveList(),
                      at),
                  HeaderOps.compile(
                      weight.getResponseHeadersToAddList(),
                      weight.getResponseHeadersToRemoveList(),
                      at)));
        }
      }
      default ->
          throw new XdsException(
              where
                  + ": cluster specifier "
                  + action.getClusterSpecifierCase()
                  + " is not supported by edge-proxy");
    }
    int total = targets.stream().mapToInt(Action.WeightedTarget::weight).sum();
    if (total <= 0) {
      throw new XdsException(where + ": weighted clusters add up to " + total + " (expected: > 0)");
    }
    Action.PathRewrite rewrite = Action.PathRewrite.NONE;
    if (action.hasRegexRewrite()) {
      rewrite =
          new Action.PathRewrite(null, regex(action.getRegexRewrite(), where + ".regex_rewrite"));
    } else if (!action.getPrefixRewrite().isEmpty()) {
      rewrite = new Action.PathRewrite(action.getPrefixRewrite(), null);
    }
    Action.HostRewrite host =
        action.hasHostRewriteLiteral()
            ? new Action.HostRewrite(action.getHostRewriteLiteral(), false)
            : action.hasAutoHostRewrite() && action.getAutoHostRewrite().getValue()
                ? new Action.HostRewrite(null, true)
                : Action.HostRewrite.NONE;
    return new Action.Forward(
        List.copyOf(targets),
        total,
        rewrite,
        host,
        action.hasTimeout() ? duration(action.getTimeout()) : DEFAULT_TIMEOUT,
        action.hasIdleTimeout() ? duration(action.getIdleTimeout()) : Duration.ZERO,
        action.hasRetryPolicy()
            ? RetrySpec.compile(action.getRetryPolicy(), where)
            : RetrySpec.NONE,
        action.getRequestMirrorPoliciesList().stream()
            .map(RouteAction.RequestMirrorPolicy::getCluster)
            .toList(),
        action.getHashPolicyList().stream().map(h -> hash(h, where)).toList(),
        action.getRateLimitsList().stream().map(r -> rateLimit(r, where)).toList(),
        action.getUpgradeConfigsList().stream()
            .filter(u -> !u.hasEnabled() || u.getEnabled().getValue())
            .map(u -> u.getUpgradeType().toLowerCase(java.util.Locale.ROOT))
            .toList());
  }

  private static Action.Redirect redirect(RedirectAction redirect, String where) {
    String scheme =
        redirect.getHttpsRedirect()
            ? "https"
            : redirect.hasSchemeRedirect() ? redirect.getSchemeRedirect() : null;
    int status =
        switch (redirect.getResponseCode()) {
          case MOVED_PERMANENTLY -> 301;
          case FOUND -> 302;
          case SEE_OTHER -> 303;
          case TEMPORARY_REDIRECT -> 307;
          case PERMANENT_REDIRECT -> 308;
          default ->
              throw new XdsException(
                  where
                      + ".redirect.response_code: "
                      + redirect.getResponseCode()
                      + " is not supported");
        };
    return new Action.Redirect(
        scheme,
        redirect.getHostRedirect().isEmpty() ? null : redirect.getHostRedirect(),
        redirect.getPortRedirect(),
        redirect.hasPathRedirect() ? redirect.getPathRedirect() : null,
        redirect.hasPrefixRewrite() ? redirect.getPrefixRewrite() : null,
        redirect.hasRegexRewrite()
            ? regex(redirect.getRegexRewrite(), where + ".redirect.regex_rewrite")
            : null,
        status,
        redirect.getStripQuery());
  }

  private static Action.Direct direct(DirectResponseAction direct) {
    return new Action.Direct(
        direct.getStatus(), direct.hasBody() ? direct.getBody().getInlineString() : "");
  }

  private static Action.RegexRewrite regex(RegexMatchAndSubstitute rewrite, String where) {
    return Action.RegexRewrite.of(
        StringMatch.compileRegex(rewrite.getPattern().getRegex(), where),
        rewrite.getSubstitution());
  }

  private static HashSpec hash(RouteAction.HashPolicy policy, String where) {
    return switch (policy.getPolicySpecifierCase()) {
      case HEADER ->
          new HashSpec.Header(
              policy.getHeader().getHeaderName().toLowerCase(java.util.Locale.ROOT));
      case COOKIE ->
          new HashSpec.Cookie(
              policy.getCookie().getName(),
              policy.getCookie().hasTtl() ? duration(policy.getCookie().getTtl()) : null,
              policy.getCookie().getPath());
      case CONNECTION_PROPERTIES -> new HashSpec.SourceIp();
      default ->
          throw new XdsException(
              where
                  + ": hash policy "
                  + policy.getPolicySpecifierCase()
                  + " is not supported by edge-proxy");
    };
  }

  private static RateLimitSpec rateLimit(RateLimit limit, String where) {
    List<RateLimitSpec.Entry> entries = new ArrayList<>();
    for (RateLimit.Action action : limit.getActionsList()) {
      entries.add(
          switch (action.getActionSpecifierCase()) {
            case REQUEST_HEADERS ->
                new RateLimitSpec.RequestHeader(
                    action.getRequestHeaders().getHeaderName().toLowerCase(java.util.Locale.ROOT),
                    action.getRequestHeaders().getDescriptorKey());
            case REMOTE_ADDRESS -> new RateLimitSpec.RemoteAddress();
            case GENERIC_KEY ->
                new RateLimitSpec.GenericKey(
                    action.getGenericKey().getDescriptorKey().isEmpty()
                        ? "generic_key"
                        : action.getGenericKey().getDescriptorKey(),
                    action.getGenericKey().getDescriptorValue());
            case HEADER_VALUE_MATCH ->
                new RateLimitSpec.HeaderValueMatch(
                    action.getHeaderValueMatch().getDescriptorKey().isEmpty()
                        ? "header_match"
                        : action.getHeaderValueMatch().getDescriptorKey(),
                    action.getHeaderValueMatch().getDescriptorValue(),
                    !action.getHeaderValueMatch().hasExpectMatch()
                        || action.getHeaderValueMatch().getExpectMatch().getValue(),
                    action.getHeaderValueMatch().getHeadersList().stream()
                        .map(h -> HeaderMatch.compile(h, where))
                        .toList());
            case DESTINATION_CLUSTER -> new RateLimitSpec.DestinationCluster();
            case SOURCE_CLUSTER -> new RateLimitSpec.SourceCluster();
            default ->
                throw new XdsException(
                    where
                        + ": rate limit action "
                        + action.getActionSpecifierCase()
                        + " is not supported by edge-proxy");
          });
    }
    return new RateLimitSpec(List.copyOf(entries));
  }

  /** The filter overrides in a route's or virtual host's typed_per_filter_config. */
  static FilterOverrides overrides(Map<String, Any> perFilter, String where) {
    if (perFilter.isEmpty()) {
      return FilterOverrides.NONE;
    }
    FilterOverrides.Authz authz = null;
    CorsSpec cors = null;
    for (Map.Entry<String, Any> entry : perFilter.entrySet()) {
      try {
        switch (entry.getKey()) {
          case EXT_AUTHZ -> {
            ExtAuthzPerRoute config = entry.getValue().unpack(ExtAuthzPerRoute.class);
            authz =
                new FilterOverrides.Authz(
                    config.getDisabled(),
                    Map.copyOf(config.getCheckSettings().getContextExtensionsMap()));
          }
          case CORS -> cors = CorsSpec.compile(entry.getValue().unpack(CorsPolicy.class), where);
          default ->
              throw new XdsException(
                  where
                      + ".typed_per_filter_config: filter "
                      + entry.getKey()
                      + " is not supported by edge-proxy");
        }
      } catch (InvalidProtocolBufferException e) {
        throw new XdsException(
            where
                + ".typed_per_filter_config["
                + entry.getKey()
                + "] does not parse: "
                + e.getMessage(),
            e);
      }
    }
    return new FilterOverrides(authz, cors);
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
