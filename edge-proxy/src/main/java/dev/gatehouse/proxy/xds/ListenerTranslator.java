package dev.gatehouse.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.gatehouse.proxy.filters.AuthzSettings;
import dev.gatehouse.proxy.filters.RateLimitSettings;
import dev.gatehouse.proxy.proxy.ListenerSettings;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an Envoy {@link Listener} whose filter chains each hold one HTTP connection manager: the
 * address to bind, and per chain the server names (SNI), the TLS context and the HTTP settings.
 */
public final class ListenerTranslator {
  static final String HCM = "envoy.filters.network.http_connection_manager";

  private ListenerTranslator() {}

  /** A listener edge-proxy can run. */
  public record ListenerSpec(String name, String address, int port, List<Chain> chains) {
    /** Whether any chain terminates TLS. */
    public boolean tls() {
      return chains.stream().anyMatch(c -> c.tls() != null);
    }
  }

  /** One filter chain: the SNI names it serves (empty: any), its TLS context, its HTTP settings. */
  public record Chain(List<String> serverNames, TlsSpec tls, ListenerSettings http) {}

  /** Downstream TLS: the SDS secret with the certificate, ALPN protocols, the minimum version. */
  public record TlsSpec(String secretName, List<String> alpn, String minimumVersion) {}

  public static ListenerSpec translate(Listener listener) {
    String where = "listener " + listener.getName();
    XdsPolicy.LISTENERS.check(listener, where);
    var socket = listener.getAddress().getSocketAddress();
    List<Chain> chains = new ArrayList<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      chains.add(
          chain(
              listener.getName(),
              listener.getFilterChains(i),
              where + ".filter_chains[" + i + "]"));
    }
    if (chains.isEmpty()) {
      throw new XdsException(where + ": no filter chains");
    }
    return new ListenerSpec(
        listener.getName(), socket.getAddress(), socket.getPortValue(), List.copyOf(chains));
  }

  private static Chain chain(String listenerName, FilterChain chain, String where) {
    if (chain.getFiltersCount() != 1 || !chain.getFilters(0).getName().equals(HCM)) {
      throw new XdsException(where + ": edge-proxy serves filter chains of exactly one " + HCM);
    }
    HttpConnectionManager hcm =
        unpack(chain.getFilters(0).getTypedConfig(), HttpConnectionManager.class, where);
    TlsSpec tls = null;
    if (chain.hasTransportSocket()) {
      DownstreamTlsContext context =
          unpack(chain.getTransportSocket().getTypedConfig(), DownstreamTlsContext.class, where);
      var common = context.getCommonTlsContext();
      if (common.getTlsCertificateSdsSecretConfigsCount() != 1) {
        throw new XdsException(
            where + ": a TLS chain needs exactly one tls_certificate_sds_secret_configs entry");
      }
      tls =
          new TlsSpec(
              common.getTlsCertificateSdsSecretConfigs(0).getName(),
              List.copyOf(common.getAlpnProtocolsList()),
              common.getTlsParams().getTlsMinimumProtocolVersion().name());
    }
    return new Chain(
        chain.getFilterChainMatch().getServerNamesList().stream()
            .map(n -> n.toLowerCase(Locale.ROOT))
            .toList(),
        tls,
        http(listenerName, hcm, tls != null, where));
  }

  private static ListenerSettings http(
      String name, HttpConnectionManager hcm, boolean tls, String where) {
    if (!hcm.hasRds()) {
      throw new XdsException(where + ": the HTTP connection manager must take its routes from RDS");
    }
    AuthzSettings authz = null;
    RateLimitSettings rateLimit = null;
    boolean cors = false;
    boolean router = false;
    for (HttpFilter filter : hcm.getHttpFiltersList()) {
      switch (filter.getName()) {
        case "envoy.filters.http.ext_authz" ->
            authz = authz(unpack(filter.getTypedConfig(), ExtAuthz.class, where), where);
        case "envoy.filters.http.ratelimit" ->
            rateLimit = rateLimit(unpack(filter.getTypedConfig(), RateLimit.class, where));
        case "envoy.filters.http.cors" -> cors = true;
        case "envoy.filters.http.router" -> router = true;
        default ->
            throw new XdsException(
                where + ": http filter " + filter.getName() + " is not supported by edge-proxy");
      }
    }
    if (!router) {
      throw new XdsException(where + ": the HTTP filters must end with envoy.filters.http.router");
    }
    return new ListenerSettings(
        name,
        tls,
        hcm.getRds().getRouteConfigName(),
        hcm.hasUseRemoteAddress() && hcm.getUseRemoteAddress().getValue(),
        hcm.getXffNumTrustedHops(),
        hcm.getMergeSlashes(),
        hcm.hasNormalizePath() && hcm.getNormalizePath().getValue(),
        hcm.getServerName(),
        hcm.getPreserveExternalRequestId(),
        authz,
        rateLimit,
        cors);
  }

  private static AuthzSettings authz(ExtAuthz filter, String where) {
    return new AuthzSettings(
        filter.getGrpcService().getEnvoyGrpc().getClusterName(),
        filter.getGrpcService().hasTimeout()
            ? ClusterTranslator.duration(filter.getGrpcService().getTimeout(), null)
            : Duration.ofMillis(200),
        filter.getFailureModeAllow(),
        filter.hasStatusOnError() ? filter.getStatusOnError().getCodeValue() : 403,
        filter.getAllowedHeaders().getPatternsList().stream()
            .map(
                p ->
                    (java.util.function.Predicate<String>)
                        dev.gatehouse.proxy.routing.StringMatch.compile(
                            p, where + ".allowed_headers"))
            .toList(),
        filter.hasWithRequestBody() ? filter.getWithRequestBody().getMaxRequestBytes() : 0,
        filter.hasWithRequestBody() && filter.getWithRequestBody().getAllowPartialMessage());
  }

  private static RateLimitSettings rateLimit(RateLimit filter) {
    return new RateLimitSettings(
        filter.getDomain(),
        filter.getRateLimitService().getGrpcService().getEnvoyGrpc().getClusterName(),
        filter.hasTimeout()
            ? ClusterTranslator.duration(filter.getTimeout(), null)
            : Duration.ofMillis(20),
        filter.getFailureModeDeny(),
        filter.getRateLimitedAsResourceExhausted());
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, String where) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsException(
          where + ": " + any.getTypeUrl() + " does not parse: " + e.getMessage(), e);
    }
  }
}
