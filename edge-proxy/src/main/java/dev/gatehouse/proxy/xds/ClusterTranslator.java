package dev.gatehouse.proxy.xds;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.upstream.balancer.LoadBalancer;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Envoy {@link Cluster} (and, for EDS clusters, its load assignment) into {@link
 * ClusterSettings}.
 */
public final class ClusterTranslator {
  static final String HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private ClusterTranslator() {}

  /**
   * @param assignment the EDS load assignment for an EDS cluster, null otherwise
   * @throws XdsException when the cluster uses something edge-proxy does not implement
   */
  public static ClusterSettings translate(Cluster cluster, ClusterLoadAssignment assignment) {
    String where = "cluster " + cluster.getName();
    XdsPolicy.CLUSTERS.check(cluster, where);
    ClusterLoadAssignment endpoints =
        switch (cluster.getType()) {
          case STATIC, STRICT_DNS, LOGICAL_DNS -> cluster.getLoadAssignment();
          case EDS -> assignment == null ? ClusterLoadAssignment.getDefaultInstance() : assignment;
          default ->
              throw new XdsException(
                  where + ": type " + cluster.getType() + " is not supported by edge-proxy");
        };
    if (assignment != null) {
      XdsPolicy.ENDPOINTS.check(assignment, "cluster_load_assignment " + cluster.getName());
    }
    return new ClusterSettings(
        cluster.getName(),
        policy(cluster, where),
        endpoints(endpoints, where),
        duration(cluster.getConnectTimeout(), java.time.Duration.ofSeconds(5)),
        http2(cluster, where),
        tls(cluster, where),
        thresholds(cluster.getCircuitBreakers()),
        cluster.hasOutlierDetection() ? outlier(cluster.getOutlierDetection()) : null,
        cluster.getHealthChecksCount() == 0 ? null : healthCheck(cluster.getHealthChecks(0), where),
        cluster.getCommonLbConfig().hasHealthyPanicThreshold()
            ? (int) cluster.getCommonLbConfig().getHealthyPanicThreshold().getValue()
            : 50,
        cluster.getCommonHttpProtocolOptions().hasIdleTimeout()
            ? duration(cluster.getCommonHttpProtocolOptions().getIdleTimeout(), null)
            : java.time.Duration.ofHours(1));
  }

  private static LoadBalancer.Policy policy(Cluster cluster, String where) {
    return switch (cluster.getLbPolicy()) {
      case ROUND_ROBIN -> LoadBalancer.Policy.ROUND_ROBIN;
      case LEAST_REQUEST -> LoadBalancer.Policy.LEAST_REQUEST;
      case RING_HASH -> LoadBalancer.Policy.RING_HASH;
      case MAGLEV -> LoadBalancer.Policy.MAGLEV;
      default ->
          throw new XdsException(
              where + ": lb_policy " + cluster.getLbPolicy() + " is not supported by edge-proxy");
    };
  }

  private static List<Endpoint> endpoints(ClusterLoadAssignment assignment, String where) {
    List<Endpoint> out = new ArrayList<>();
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      for (LbEndpoint lb : locality.getLbEndpointsList()) {
        SocketAddress address = lb.getEndpoint().getAddress().getSocketAddress();
        int weight = lb.hasLoadBalancingWeight() ? lb.getLoadBalancingWeight().getValue() : 1;
        if (address.getPortValue() < 1 || address.getPortValue() > 65535) {
          throw new XdsException(
              where
                  + ": endpoint "
                  + address.getAddress()
                  + " has port "
                  + address.getPortValue()
                  + " (expected: 1..65535)");
        }
        out.add(new Endpoint(address.getAddress(), address.getPortValue(), Math.max(1, weight)));
      }
    }
    return out;
  }

  private static boolean http2(Cluster cluster, String where) {
    var options = cluster.getTypedExtensionProtocolOptionsMap().get(HTTP_OPTIONS);
    if (options == null) {
      return false;
    }
    try {
      HttpProtocolOptions http = options.unpack(HttpProtocolOptions.class);
      return http.getExplicitHttpConfig().hasHttp2ProtocolOptions();
    } catch (InvalidProtocolBufferException e) {
      throw new XdsException(where + ": " + HTTP_OPTIONS + " does not parse: " + e.getMessage(), e);
    }
  }

  private static ClusterSettings.UpstreamTls tls(Cluster cluster, String where) {
    if (!cluster.hasTransportSocket()) {
      return null;
    }
    try {
      UpstreamTlsContext context =
          cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      var common = context.getCommonTlsContext();
      String chain = null;
      String key = null;
      if (common.getTlsCertificatesCount() > 0) {
        chain =
            DataSources.file(
                common.getTlsCertificates(0).getCertificateChain(), where + ".certificate_chain");
        key =
            DataSources.file(common.getTlsCertificates(0).getPrivateKey(), where + ".private_key");
      }
      String ca =
          common.hasValidationContext() && common.getValidationContext().hasTrustedCa()
              ? DataSources.file(
                  common.getValidationContext().getTrustedCa(), where + ".trusted_ca")
              : null;
      return new ClusterSettings.UpstreamTls(
          context.getSni(), List.copyOf(common.getAlpnProtocolsList()), chain, key, ca);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsException(where + ": transport_socket does not parse: " + e.getMessage(), e);
    }
  }

  private static ClusterSettings.Thresholds thresholds(CircuitBreakers breakers) {
    for (CircuitBreakers.Thresholds t : breakers.getThresholdsList()) {
      if (t.getPriority() == RoutingPriority.DEFAULT) {
        ClusterSettings.Thresholds d = ClusterSettings.Thresholds.DEFAULTS;
        return new ClusterSettings.Thresholds(
            t.hasMaxConnections() ? t.getMaxConnections().getValue() : d.maxConnections(),
            t.hasMaxPendingRequests()
                ? t.getMaxPendingRequests().getValue()
                : d.maxPendingRequests(),
            t.hasMaxRequests() ? t.getMaxRequests().getValue() : d.maxRequests(),
            t.hasMaxRetries() ? t.getMaxRetries().getValue() : d.maxRetries());
      }
    }
    return ClusterSettings.Thresholds.DEFAULTS;
  }

  private static ClusterSettings.Outlier outlier(
      io.envoyproxy.envoy.config.cluster.v3.OutlierDetection o) {
    return new ClusterSettings.Outlier(
        o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5,
        o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : 0,
        duration(o.getInterval(), java.time.Duration.ofSeconds(10)),
        duration(o.getBaseEjectionTime(), java.time.Duration.ofSeconds(30)),
        duration(o.getMaxEjectionTime(), java.time.Duration.ofSeconds(300)),
        o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : 10);
  }

  private static ClusterSettings.HealthCheck healthCheck(HealthCheck check, String where) {
    if (!check.hasHttpHealthCheck()) {
      throw new XdsException(
          where + ".health_checks[0]: only http_health_check is supported by edge-proxy");
    }
    HealthCheck.HttpHealthCheck http = check.getHttpHealthCheck();
    return new ClusterSettings.HealthCheck(
        http.getPath(),
        http.getHost(),
        duration(check.getInterval(), java.time.Duration.ofSeconds(5)),
        duration(check.getTimeout(), java.time.Duration.ofSeconds(3)),
        check.hasUnhealthyThreshold() ? check.getUnhealthyThreshold().getValue() : 2,
        check.hasHealthyThreshold() ? check.getHealthyThreshold().getValue() : 1,
        http.getExpectedStatusesList().stream()
            .map(r -> new long[] {r.getStart(), r.getEnd()})
            .toList());
  }

  static java.time.Duration duration(Duration duration, java.time.Duration fallback) {
    if (duration.getSeconds() == 0 && duration.getNanos() == 0 && fallback != null) {
      return fallback;
    }
    return java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
  }
}
