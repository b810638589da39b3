package dev.gatehouse.controlplane.compile;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Message;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.config.module.AmbassadorConfig;
import dev.gatehouse.config.ratelimit.RateLimitService;
import dev.gatehouse.config.traffic.Service;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.ratelimit.v3.RateLimitServiceConfig;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationRequest;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationResponse;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.BufferSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Compiles the listeners: cleartext on the HTTP port, TLS with one SNI filter chain per host on the
 * HTTPS port, each with an HTTP connection manager whose routes come over RDS and whose filters are
 * CORS, ext_authz (from the AuthService), the rate limit (from the RateLimitService) and the
 * router.
 */
final class ListenerCompiler {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String RATELIMIT_FILTER = "envoy.filters.http.ratelimit";
  static final String ROUTER_FILTER = "envoy.filters.http.router";
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  /** Headers an HTTP AuthService always receives, and those always copied back (Emissary's). */
  private static final List<String> AUTH_REQUEST_HEADERS =
      List.of(
          "authorization",
          "cookie",
          "from",
          "proxy-authorization",
          "user-agent",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto");

  private static final List<String> AUTH_RESPONSE_HEADERS =
      List.of("authorization", "location", "proxy-authenticate", "set-cookie", "www-authenticate");

  private final CompileContext ctx;
  private final CompilerOptions options;

  ListenerCompiler(CompileContext ctx, CompilerOptions options) {
    this.ctx = ctx;
    this.options = options;
  }

  Listener http(String routeConfigName) {
    return Listener.newBuilder()
        .setName("listener-" + options.httpPort())
        .setAddress(ClusterCompiler.socket(options.bindAddress(), options.httpPort()))
        .addFilterChains(FilterChain.newBuilder().addFilters(hcm("ingress_http", routeConfigName)))
        .build();
  }

  /** The TLS listener, or null when no host terminates TLS. */
  Listener https(List<HostPlan> hosts, String routeConfigName) {
    Listener.Builder listener =
        Listener.newBuilder()
            .setName("listener-" + options.httpsPort())
            .setAddress(ClusterCompiler.socket(options.bindAddress(), options.httpsPort()))
            .addListenerFilters(
                ListenerFilter.newBuilder()
                    .setName(TLS_INSPECTOR)
                    .setTypedConfig(Protos.any(TlsInspector.getDefaultInstance())));
    for (HostPlan host : hosts) {
      if (host.tls() == null) {
        continue;
      }
      FilterChain.Builder chain =
          FilterChain.newBuilder()
              .setName("https-" + host.virtualHostName())
              .setTransportSocket(
                  TransportSocket.newBuilder()
                      .setName(ClusterCompiler.TLS_TRANSPORT)
                      .setTypedConfig(Protos.any(host.tls())))
              .addFilters(hcm("ingress_https", routeConfigName));
      if (!host.hostname().equals("*")) {
        chain.setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(host.hostname()));
      }
      listener.addFilterChains(chain);
    }
    return listener.getFilterChainsCount() == 0 ? null : listener.build();
  }

  private Filter hcm(String statPrefix, String routeConfigName) {
    AmbassadorConfig module = ctx.module;
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(statPrefix)
            .setCodecType(HttpConnectionManager.CodecType.AUTO)
            .setRds(
                Rds.newBuilder()
                    .setRouteConfigName(routeConfigName)
                    .setConfigSource(
                        ConfigSource.newBuilder()
                            .setAds(AggregatedConfigSource.getDefaultInstance())
                            .setResourceApiVersion(ApiVersion.V3)))
            .setUseRemoteAddress(BoolValue.of(module.useRemoteAddress()))
            .setXffNumTrustedHops(module.xffNumTrustedHops())
            .setServerName(module.serverName())
            .setMergeSlashes(module.mergeSlashes())
            .setMaxRequestHeadersKb(Protos.uint32(module.maxRequestHeadersKb()))
            // Virtual hosts are matched by name whatever port the client wrote in Host.
            .setStripAnyHostPort(true);
    for (HttpFilter filter : httpFilters()) {
      hcm.addHttpFilters(filter);
    }
    return Filter.newBuilder().setName(HCM).setTypedConfig(Protos.any(hcm.build())).build();
  }

  private List<HttpFilter> httpFilters() {
    List<HttpFilter> filters = new ArrayList<>();
    // CORS first, so that preflights are answered without being authorized or counted.
    filters.add(filter(RouteFeatures.CORS_FILTER, Cors.getDefaultInstance()));
    ctx.auth.ifPresent(auth -> filters.add(filter(RouteFeatures.EXT_AUTHZ_FILTER, extAuthz(auth))));
    ctx.rateLimit.ifPresent(rls -> filters.add(filter(RATELIMIT_FILTER, rateLimit(rls))));
    filters.add(filter(ROUTER_FILTER, Router.getDefaultInstance()));
    return filters;
  }

  private static HttpFilter filter(String name, Message config) {
    return HttpFilter.newBuilder().setName(name).setTypedConfig(Protos.any(config)).build();
  }

  private ExtAuthz extAuthz(Resource<AuthService> resource) {
    AuthService auth = resource.spec();
    Service upstream = Service.parse(auth.authService());
    boolean grpc = auth.proto() == AuthService.AuthProtocol.GRPC;
    String cluster =
        ctx.clusters.clusterFor(
            ClusterSpec.service(
                upstream.host(),
                upstream.port(),
                upstream.tls() || auth.tls() != null,
                grpc,
                auth.circuitBreakers()));
    ExtAuthz.Builder extAuthz =
        ExtAuthz.newBuilder()
            .setTransportApiVersion(ApiVersion.V3)
            .setFailureModeAllow(auth.failureModeAllow())
            .setStatusOnError(HttpStatus.newBuilder().setCodeValue(auth.errorStatus()));
    if (auth.includeBody() != null) {
      extAuthz.setWithRequestBody(
          BufferSettings.newBuilder()
              .setMaxRequestBytes(auth.includeBody().maxBytes())
              .setAllowPartialMessage(auth.includeBody().allowPartial()));
    } else if (Boolean.TRUE.equals(auth.allowRequestBody())) {
      // The deprecated flag, as Emissary maps it: 4 KiB, partial allowed.
      extAuthz.setWithRequestBody(
          BufferSettings.newBuilder().setMaxRequestBytes(4096).setAllowPartialMessage(true));
    }
    if (grpc) {
      // A gRPC service receives every request header, as in Emissary.
      return extAuthz
          .setGrpcService(
              GrpcService.newBuilder()
                  .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(cluster))
                  .setTimeout(Protos.millis(auth.timeoutMs())))
          .build();
    }
    String scheme = upstream.tls() ? "https" : "http";
    HttpService.Builder http =
        HttpService.newBuilder()
            .setServerUri(
                HttpUri.newBuilder()
                    .setUri(scheme + "://" + upstream.host() + ":" + upstream.port())
                    .setCluster(cluster)
                    .setTimeout(Protos.millis(auth.timeoutMs())))
            .setPathPrefix(auth.pathPrefix());
    AuthorizationRequest.Builder request = AuthorizationRequest.newBuilder();
    new java.util.TreeMap<>(auth.addAuthHeaders())
        .forEach((k, v) -> request.addHeadersToAdd(HeaderValue.newBuilder().setKey(k).setValue(v)));
    http.setAuthorizationRequest(request);
    http.setAuthorizationResponse(
        AuthorizationResponse.newBuilder()
            .setAllowedUpstreamHeaders(
                names(List.of("authorization"), auth.allowedAuthorizationHeaders()))
            .setAllowedClientHeaders(
                names(AUTH_RESPONSE_HEADERS, auth.allowedAuthorizationHeaders())));
    return extAuthz
        .setHttpService(http)
        .setAllowedHeaders(names(AUTH_REQUEST_HEADERS, auth.allowedRequestHeaders()))
        .build();
  }

  /** Exact, case-insensitive header names, sorted, the defaults included. */
  private static ListStringMatcher names(List<String> defaults, List<String> configured) {
    TreeSet<String> all = new TreeSet<>(defaults);
    configured.forEach(h -> all.add(h.toLowerCase(Locale.ROOT)));
    ListStringMatcher.Builder out = ListStringMatcher.newBuilder();
    for (String name : all) {
      out.addPatterns(Protos.exact(name).toBuilder().setIgnoreCase(true));
    }
    return out.build();
  }

  private RateLimit rateLimit(Resource<RateLimitService> resource) {
    RateLimitService rls = resource.spec();
    Service upstream = Service.parse(rls.service());
    String cluster =
        ctx.clusters.clusterFor(
            ClusterSpec.service(
                upstream.host(),
                upstream.port(),
                upstream.tls() || rls.tls() != null,
                true,
                List.of()));
    RateLimit.Builder out =
        RateLimit.newBuilder()
            .setDomain(ctx.rateLimitDomain())
            .setTimeout(Protos.millis(rls.timeoutMs()))
            .setFailureModeDeny(rls.failureModeDeny())
            .setRateLimitService(
                RateLimitServiceConfig.newBuilder()
                    .setTransportApiVersion(ApiVersion.V3)
                    .setGrpcService(
                        GrpcService.newBuilder()
                            .setEnvoyGrpc(
                                GrpcService.EnvoyGrpc.newBuilder().setClusterName(cluster))));
    if (rls.grpc() != null && rls.grpc().useResourceExhaustedCode()) {
      out.setRateLimitedAsResourceExhausted(true);
    }
    return out.build();
  }
}
