package dev.gatehouse.proxy.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The xDS fields edge-proxy implements, per resource type: the contract between what the control
 * plane (or any other) sends and what the proxy does. A field missing here is a NACK, never
 * ignored; add a field only together with its implementation and a test.
 */
final class XdsPolicy {
  private XdsPolicy() {}

  private static final List<String> WELL_KNOWN =
      List.of(
          "google.protobuf.Duration.*",
          "google.protobuf.UInt32Value.*",
          "google.protobuf.UInt64Value.*",
          "google.protobuf.BoolValue.*",
          "google.protobuf.Any.*",
          "envoy.type.v3.Percent.*",
          "envoy.type.v3.Int64Range.*",
          "envoy.config.core.v3.DataSource.filename");

  /** The message types an {@code Any} may hold in this resource, keyed by their type URL. */
  @SafeVarargs
  private static Map<String, Class<? extends Message>> anyTypes(Class<? extends Message>... types) {
    Map<String, Class<? extends Message>> byUrl = new java.util.HashMap<>();
    for (Class<? extends Message> type : types) {
      byUrl.put(SupportedFields.typeUrl(type), type);
    }
    return Map.copyOf(byUrl);
  }

  private static Set<String> fields(String... names) {
    Set<String> all = new HashSet<>(WELL_KNOWN);
    all.addAll(List.of(names));
    return all;
  }

  private static final String C = "envoy.config.cluster.v3.";
  private static final String CORE = "envoy.config.core.v3.";
  private static final String EP = "envoy.config.endpoint.v3.";
  private static final String TLS = "envoy.extensions.transport_sockets.tls.v3.";
  private static final String HTTP = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private static final String[] ASSIGNMENT = {
    EP + "ClusterLoadAssignment.cluster_name",
    EP + "ClusterLoadAssignment.endpoints",
    EP + "LocalityLbEndpoints.lb_endpoints",
    EP + "LbEndpoint.endpoint",
    EP + "LbEndpoint.load_balancing_weight",
    EP + "Endpoint.address",
    CORE + "Address.socket_address",
    CORE + "SocketAddress.address",
    CORE + "SocketAddress.port_value",
  };

  static final SupportedFields ENDPOINTS = new SupportedFields(fields(ASSIGNMENT), Map.of());

  static final SupportedFields CLUSTERS =
      new SupportedFields(
          concat(
              ASSIGNMENT,
              C + "Cluster.name",
              C + "Cluster.type",
              C + "Cluster.eds_cluster_config",
              C + "Cluster.EdsClusterConfig.*",
              CORE + "ConfigSource.ads",
              CORE + "ConfigSource.resource_api_version",
              C + "Cluster.connect_timeout",
              C + "Cluster.lb_policy",
              C + "Cluster.load_assignment",
              // Endpoints are resolved by Vert.x's resolver per connection; the family is advisory.
              C + "Cluster.dns_lookup_family",
              C + "Cluster.transport_socket",
              CORE + "TransportSocket.name",
              CORE + "TransportSocket.typed_config",
              TLS + "UpstreamTlsContext.common_tls_context",
              TLS + "UpstreamTlsContext.sni",
              TLS + "CommonTlsContext.alpn_protocols",
              TLS + "CommonTlsContext.tls_certificates",
              TLS + "CommonTlsContext.validation_context",
              TLS + "CertificateValidationContext.trusted_ca",
              TLS + "TlsCertificate.certificate_chain",
              TLS + "TlsCertificate.private_key",
              C + "Cluster.typed_extension_protocol_options",
              HTTP + ".explicit_http_config",
              HTTP + ".ExplicitHttpConfig.http_protocol_options",
              HTTP + ".ExplicitHttpConfig.http2_protocol_options",
              CORE + "Http1ProtocolOptions.*",
              CORE + "Http2ProtocolOptions.*",
              C + "Cluster.circuit_breakers",
              C + "CircuitBreakers.thresholds",
              C + "CircuitBreakers.Thresholds.priority",
              C + "CircuitBreakers.Thresholds.max_connections",
              C + "CircuitBreakers.Thresholds.max_pending_requests",
              C + "CircuitBreakers.Thresholds.max_requests",
              C + "CircuitBreakers.Thresholds.max_retries",
              C + "Cluster.outlier_detection",
              C + "OutlierDetection.consecutive_5xx",
              C + "OutlierDetection.consecutive_gateway_failure",
              C + "OutlierDetection.enforcing_consecutive_gateway_failure",
              C + "OutlierDetection.interval",
              C + "OutlierDetection.base_ejection_time",
              C + "OutlierDetection.max_ejection_time",
              C + "OutlierDetection.max_ejection_percent",
              C + "Cluster.health_checks",
              CORE + "HealthCheck.timeout",
              CORE + "HealthCheck.interval",
              CORE + "HealthCheck.unhealthy_threshold",
              CORE + "HealthCheck.healthy_threshold",
              CORE + "HealthCheck.http_health_check",
              CORE + "HealthCheck.HttpHealthCheck.host",
              CORE + "HealthCheck.HttpHealthCheck.path",
              CORE + "HealthCheck.HttpHealthCheck.expected_statuses",
              C + "Cluster.common_lb_config",
              C + "Cluster.CommonLbConfig.healthy_panic_threshold",
              C + "Cluster.common_http_protocol_options",
              CORE + "HttpProtocolOptions.idle_timeout"),
          anyTypes(UpstreamTlsContext.class, HttpProtocolOptions.class));

  private static final String L = "envoy.config.listener.v3.";
  private static final String HCM = "envoy.extensions.filters.network.http_connection_manager.v3.";
  private static final String AUTHZ = "envoy.extensions.filters.http.ext_authz.v3.";
  private static final String RL = "envoy.extensions.filters.http.ratelimit.v3.";
  private static final String R = "envoy.config.route.v3.";
  private static final String M = "envoy.type.matcher.v3.";

  static final SupportedFields LISTENERS =
      new SupportedFields(
          fields(
              L + "Listener.name",
              L + "Listener.address",
              CORE + "Address.socket_address",
              CORE + "SocketAddress.address",
              CORE + "SocketAddress.port_value",
              L + "Listener.filter_chains",
              L + "FilterChain.name",
              L + "FilterChain.filters",
              L + "FilterChain.filter_chain_match",
              L + "FilterChainMatch.server_names",
              L + "FilterChain.transport_socket",
              CORE + "TransportSocket.name",
              CORE + "TransportSocket.typed_config",
              TLS + "DownstreamTlsContext.common_tls_context",
              TLS + "CommonTlsContext.alpn_protocols",
              TLS + "CommonTlsContext.tls_params",
              TLS + "TlsParameters.tls_minimum_protocol_version",
              TLS + "CommonTlsContext.tls_certificate_sds_secret_configs",
              TLS + "SdsSecretConfig.name",
              TLS + "SdsSecretConfig.sds_config",
              CORE + "ConfigSource.ads",
              CORE + "ConfigSource.resource_api_version",
              L + "Filter.name",
              L + "Filter.typed_config",
              HCM + "HttpConnectionManager.stat_prefix",
              HCM + "HttpConnectionManager.rds",
              HCM + "Rds.config_source",
              HCM + "Rds.route_config_name",
              HCM + "HttpConnectionManager.http_filters",
              HCM + "HttpFilter.name",
              HCM + "HttpFilter.typed_config",
              HCM + "HttpConnectionManager.server_name",
              HCM + "HttpConnectionManager.use_remote_address",
              HCM + "HttpConnectionManager.xff_num_trusted_hops",
              HCM + "HttpConnectionManager.max_request_headers_kb",
              HCM + "HttpConnectionManager.strip_any_host_port",
              HCM + "HttpConnectionManager.merge_slashes",
              HCM + "HttpConnectionManager.normalize_path",
              HCM + "HttpConnectionManager.preserve_external_request_id",
              HCM + "HttpConnectionManager.upgrade_configs",
              HCM + "HttpConnectionManager.UpgradeConfig.upgrade_type",
              HCM + "HttpConnectionManager.UpgradeConfig.enabled",
              AUTHZ + "ExtAuthz.grpc_service",
              CORE + "GrpcService.envoy_grpc",
              CORE + "GrpcService.timeout",
              CORE + "GrpcService.EnvoyGrpc.cluster_name",
              AUTHZ + "ExtAuthz.failure_mode_allow",
              AUTHZ + "ExtAuthz.with_request_body",
              AUTHZ + "BufferSettings.max_request_bytes",
              AUTHZ + "BufferSettings.allow_partial_message",
              AUTHZ + "ExtAuthz.status_on_error",
              "envoy.type.v3.HttpStatus.code",
              AUTHZ + "ExtAuthz.transport_api_version",
              AUTHZ + "ExtAuthz.allowed_headers",
              M + "ListStringMatcher.patterns",
              M + "StringMatcher.*",
              M + "RegexMatcher.regex",
              RL + "RateLimit.domain",
              RL + "RateLimit.timeout",
              RL + "RateLimit.failure_mode_deny",
              RL + "RateLimit.rate_limited_as_resource_exhausted",
              RL + "RateLimit.rate_limit_service",
              "envoy.config.ratelimit.v3.RateLimitServiceConfig.grpc_service",
              "envoy.config.ratelimit.v3.RateLimitServiceConfig.transport_api_version"),
          anyTypes(
              HttpConnectionManager.class,
              DownstreamTlsContext.class,
              ExtAuthz.class,
              RateLimit.class,
              Cors.class,
              Router.class));

  static final SupportedFields ROUTES =
      new SupportedFields(
          fields(
              R + "RouteConfiguration.name",
              R + "RouteConfiguration.virtual_hosts",
              R + "RouteConfiguration.request_headers_to_add",
              R + "RouteConfiguration.request_headers_to_remove",
              R + "RouteConfiguration.response_headers_to_add",
              R + "RouteConfiguration.response_headers_to_remove",
              R + "VirtualHost.name",
              R + "VirtualHost.domains",
              R + "VirtualHost.routes",
              R + "VirtualHost.require_tls",
              R + "VirtualHost.request_headers_to_add",
              R + "VirtualHost.request_headers_to_remove",
              R + "VirtualHost.response_headers_to_add",
              R + "VirtualHost.response_headers_to_remove",
              R + "VirtualHost.typed_per_filter_config",
              R + "Route.name",
              R + "Route.match",
              R + "Route.route",
              R + "Route.redirect",
              R + "Route.direct_response",
              R + "Route.request_headers_to_add",
              R + "Route.request_headers_to_remove",
              R + "Route.response_headers_to_add",
              R + "Route.response_headers_to_remove",
              R + "Route.typed_per_filter_config",
              R + "RouteMatch.prefix",
              R + "RouteMatch.path",
              R + "RouteMatch.safe_regex",
              R + "RouteMatch.path_separated_prefix",
              R + "RouteMatch.case_sensitive",
              R + "RouteMatch.headers",
              R + "RouteMatch.query_parameters",
              R + "HeaderMatcher.*",
              R + "QueryParameterMatcher.*",
              M + "StringMatcher.*",
              M + "RegexMatcher.regex",
              M + "RegexMatchAndSubstitute.*",
              R + "RouteAction.cluster",
              R + "RouteAction.weighted_clusters",
              R + "WeightedCluster.clusters",
              R + "WeightedCluster.total_weight",
              R + "WeightedCluster.ClusterWeight.name",
              R + "WeightedCluster.ClusterWeight.weight",
              R + "WeightedCluster.ClusterWeight.request_headers_to_add",
              R + "WeightedCluster.ClusterWeight.request_headers_to_remove",
              R + "WeightedCluster.ClusterWeight.response_headers_to_add",
              R + "WeightedCluster.ClusterWeight.response_headers_to_remove",
              R + "RouteAction.prefix_rewrite",
              R + "RouteAction.regex_rewrite",
              R + "RouteAction.host_rewrite_literal",
              R + "RouteAction.auto_host_rewrite",
              R + "RouteAction.timeout",
              R + "RouteAction.idle_timeout",
              R + "RouteAction.retry_policy",
              R + "RetryPolicy.retry_on",
              R + "RetryPolicy.num_retries",
              R + "RetryPolicy.per_try_timeout",
              R + "RetryPolicy.retriable_status_codes",
              R + "RetryPolicy.retry_back_off",
              R + "RetryPolicy.RetryBackOff.*",
              R + "RouteAction.request_mirror_policies",
              R + "RouteAction.RequestMirrorPolicy.cluster",
              R + "RouteAction.hash_policy",
              R + "RouteAction.HashPolicy.header",
              R + "RouteAction.HashPolicy.cookie",
              R + "RouteAction.HashPolicy.connection_properties",
              R + "RouteAction.HashPolicy.Header.header_name",
              R + "RouteAction.HashPolicy.Cookie.*",
              R + "RouteAction.HashPolicy.ConnectionProperties.source_ip",
              R + "RouteAction.rate_limits",
              R + "RateLimit.actions",
              R + "RateLimit.Action.*",
              R + "RateLimit.Action.RequestHeaders.header_name",
              R + "RateLimit.Action.RequestHeaders.descriptor_key",
              R + "RateLimit.Action.GenericKey.*",
              R + "RateLimit.Action.HeaderValueMatch.*",
              R + "RateLimit.Action.RemoteAddress.*",
              R + "RateLimit.Action.DestinationCluster.*",
              R + "RateLimit.Action.SourceCluster.*",
              R + "RouteAction.upgrade_configs",
              R + "RouteAction.UpgradeConfig.upgrade_type",
              R + "RouteAction.UpgradeConfig.enabled",
              R + "RedirectAction.*",
              R + "DirectResponseAction.*",
              CORE + "HeaderValueOption.header",
              CORE + "HeaderValueOption.append",
              CORE + "HeaderValueOption.append_action",
              CORE + "HeaderValue.key",
              CORE + "HeaderValue.value",
              CORE + "DataSource.inline_string",
              AUTHZ + "ExtAuthzPerRoute.disabled",
              AUTHZ + "ExtAuthzPerRoute.check_settings",
              AUTHZ + "CheckSettings.context_extensions",
              "envoy.extensions.filters.http.cors.v3.CorsPolicy.*"),
          anyTypes(ExtAuthzPerRoute.class, CorsPolicy.class));

  static final SupportedFields SECRETS =
      new SupportedFields(
          fields(
              TLS + "Secret.name",
              TLS + "Secret.tls_certificate",
              TLS + "TlsCertificate.certificate_chain",
              TLS + "TlsCertificate.private_key",
              CORE + "DataSource.inline_string",
              CORE + "DataSource.inline_bytes"),
          Map.of());

  static Set<String> concat(String[] base, String... more) {
    Set<String> all = fields(base);
    all.addAll(List.of(more));
    return all;
  }
}
