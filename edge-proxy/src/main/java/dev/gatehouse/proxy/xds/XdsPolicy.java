package dev.gatehouse.proxy.xds;

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
          Map.of(
              SupportedFields.typeUrl(UpstreamTlsContext.class), UpstreamTlsContext.class,
              SupportedFields.typeUrl(HttpProtocolOptions.class), HttpProtocolOptions.class));

  static Set<String> concat(String[] base, String... more) {
    Set<String> all = fields(base);
    all.addAll(List.of(more));
    return all;
  }
}
