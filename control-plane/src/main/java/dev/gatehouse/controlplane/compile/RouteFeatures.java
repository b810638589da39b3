package dev.gatehouse.controlplane.compile;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Mapping;
import dev.gatehouse.config.module.AmbassadorConfig;
import dev.gatehouse.config.ratelimit.LabelGroup;
import dev.gatehouse.config.ratelimit.LabelSpecifier;
import dev.gatehouse.config.traffic.Cors;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.RetryPolicy;
import dev.gatehouse.config.yaml.Binder;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.RateLimit.Action;
import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.CheckSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of a route that come from cross-cutting settings: retries, session affinity, rate limit
 * actions from labels, CORS and the per-route ext_authz settings.
 */
final class RouteFeatures {
  static final String CORS_FILTER = "envoy.filters.http.cors";
  static final String EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz";

  private final CompileContext ctx;

  RouteFeatures(CompileContext ctx) {
    this.ctx = ctx;
  }

  /** The Mapping's retry policy, else the Module's. */
  Optional<io.envoyproxy.envoy.config.route.v3.RetryPolicy> retryPolicy(Mapping m) {
    RetryPolicy policy = m.retryPolicy() != null ? m.retryPolicy() : ctx.module.retryPolicy();
    if (policy == null) {
      return Optional.empty();
    }
    var out = io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder();
    if (policy.retryOn() != null) {
      out.setRetryOn(Binder.enumName(policy.retryOn()));
    }
    if (policy.numRetries() != null) {
      out.setNumRetries(Protos.uint32(policy.numRetries()));
    }
    if (policy.perTryTimeout() != null) {
      out.setPerTryTimeout(Protos.duration(policy.perTryTimeout()));
    }
    return Optional.of(out.build());
  }

  /** Session affinity for ring_hash and maglev: by header, cookie or client address. */
  List<HashPolicy> hashPolicies(LoadBalancer lb) {
    if (lb == null) {
      return List.of();
    }
    if (lb.header() != null) {
      return List.of(
          HashPolicy.newBuilder()
              .setHeader(HashPolicy.Header.newBuilder().setHeaderName(lb.header()))
              .build());
    }
    if (lb.cookie() != null) {
      HashPolicy.Cookie.Builder cookie = HashPolicy.Cookie.newBuilder().setName(lb.cookie().name());
      if (lb.cookie().path() != null) {
        cookie.setPath(lb.cookie().path());
      }
      if (lb.cookie().ttl() != null) {
        cookie.setTtl(Protos.duration(lb.cookie().ttl()));
      }
      return List.of(HashPolicy.newBuilder().setCookie(cookie).build());
    }
    if (Boolean.TRUE.equals(lb.sourceIp())) {
      return List.of(
          HashPolicy.newBuilder()
              .setConnectionProperties(
                  HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true))
              .build());
    }
    return List.of();
  }

  /**
   * One Envoy rate limit per label group of the RateLimitService's domain, the Module's
   * default_labels for that domain first. Labels of other domains are not for our service and are
   * left out (with a warning), as Emissary does.
   */
  List<RateLimit> rateLimits(Resource<Mapping> mapping) {
    Map<String, List<LabelGroup>> labels = mapping.spec().labels();
    if (labels.isEmpty() || ctx.rateLimit.isEmpty()) {
      return List.of();
    }
    String domain = ctx.rateLimitDomain();
    for (String other : new TreeMap<>(labels).keySet()) {
      if (!other.equals(domain)) {
        ctx.warn(
            mapping,
            "spec.labels." + other,
            "domain \""
                + other
                + "\" is not the RateLimitService's domain \""
                + domain
                + "\" (these labels are not sent)");
      }
    }
    List<LabelSpecifier> defaults = new ArrayList<>();
    AmbassadorConfig.DefaultLabels fromModule = ctx.module.defaultLabels().get(domain);
    if (fromModule != null) {
      defaults.addAll(fromModule.defaults());
    }
    List<RateLimit> out = new ArrayList<>();
    for (LabelGroup group : labels.getOrDefault(domain, List.of())) {
      RateLimit.Builder limit = RateLimit.newBuilder();
      defaults.forEach(s -> limit.addActions(action(s)));
      group.specifiers().forEach(s -> limit.addActions(action(s)));
      out.add(limit.build());
    }
    return out;
  }

  private static Action action(LabelSpecifier specifier) {
    Action.Builder action = Action.newBuilder();
    if (specifier instanceof LabelSpecifier.RequestHeader h) {
      action.setRequestHeaders(
          Action.RequestHeaders.newBuilder()
              .setHeaderName(h.headerName())
              .setDescriptorKey(h.key())
              .setSkipIfAbsent(h.omitIfNotPresent()));
    } else if (specifier instanceof LabelSpecifier.RemoteAddress) {
      action.setRemoteAddress(Action.RemoteAddress.getDefaultInstance());
    } else if (specifier instanceof LabelSpecifier.GenericKey g) {
      Action.GenericKey.Builder key = Action.GenericKey.newBuilder().setDescriptorValue(g.value());
      if (!g.key().equals("generic_key")) {
        key.setDescriptorKey(g.key());
      }
      action.setGenericKey(key);
    } else if (specifier instanceof LabelSpecifier.SourceCluster) {
      action.setSourceCluster(Action.SourceCluster.getDefaultInstance());
    } else if (specifier instanceof LabelSpecifier.DestinationCluster) {
      action.setDestinationCluster(Action.DestinationCluster.getDefaultInstance());
    }
    return action.build();
  }

  /** Per-route filter settings, by filter name in name order. */
  Map<String, Any> perFilterConfig(Resource<Mapping> resource) {
    Mapping m = resource.spec();
    Map<String, Any> out = new TreeMap<>();
    Cors cors = m.cors() != null ? m.cors() : ctx.module.cors();
    if (cors != null) {
      out.put(CORS_FILTER, Protos.any(cors(cors)));
    }
    if (ctx.auth.isPresent()) {
      if (m.bypassAuth()) {
        out.put(
            EXT_AUTHZ_FILTER, Protos.any(ExtAuthzPerRoute.newBuilder().setDisabled(true).build()));
      } else if (!m.authContextExtensions().isEmpty()) {
        CheckSettings.Builder settings = CheckSettings.newBuilder();
        new TreeMap<>(m.authContextExtensions()).forEach(settings::putContextExtensions);
        out.put(
            EXT_AUTHZ_FILTER,
            Protos.any(ExtAuthzPerRoute.newBuilder().setCheckSettings(settings).build()));
      }
    }
    return out;
  }

  private static CorsPolicy cors(Cors cors) {
    CorsPolicy.Builder policy = CorsPolicy.newBuilder();
    for (String origin : cors.origins()) {
      policy.addAllowOriginStringMatch(
          origin.equals("*") ? Protos.regex(".*") : Protos.exact(origin));
    }
    if (!cors.methods().isEmpty()) {
      policy.setAllowMethods(String.join(", ", cors.methods()));
    }
    if (!cors.headers().isEmpty()) {
      policy.setAllowHeaders(String.join(", ", cors.headers()));
    }
    if (!cors.exposedHeaders().isEmpty()) {
      policy.setExposeHeaders(String.join(", ", cors.exposedHeaders()));
    }
    if (cors.maxAge() != null) {
      policy.setMaxAge(cors.maxAge());
    }
    if (cors.credentials() != null) {
      policy.setAllowCredentials(BoolValue.of(cors.credentials()));
    }
    return policy.build();
  }
}
