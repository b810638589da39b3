package dev.gatehouse.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.gatehouse.proxy.upstream.ClusterSettings;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.upstream.balancer.LoadBalancer;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

class ClusterTranslatorTest {
  private static LbEndpoint endpoint(String host, int port, int weight) {
    return LbEndpoint.newBuilder()
        .setEndpoint(
            io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder().setAddress(host).setPortValue(port))))
        .setLoadBalancingWeight(UInt32Value.of(weight))
        .build();
  }

  private static Cluster.Builder cluster() {
    return Cluster.newBuilder()
        .setName("quote")
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(2))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName("quote")
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(endpoint("a", 80, 3))
                        .addLbEndpoints(endpoint("b", 8080, 1))));
  }

  @Test
  void readsEndpointsPolicyTimeoutsBreakersAndOutlierDetection() {
    Cluster proto =
        cluster()
            .setLbPolicy(Cluster.LbPolicy.MAGLEV)
            .setCircuitBreakers(
                CircuitBreakers.newBuilder()
                    .addThresholds(
                        CircuitBreakers.Thresholds.newBuilder().setMaxRequests(UInt32Value.of(10))))
            .setOutlierDetection(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(2)))
            .putTypedExtensionProtocolOptions(
                ClusterTranslator.HTTP_OPTIONS,
                Any.pack(
                    HttpProtocolOptions.newBuilder()
                        .setExplicitHttpConfig(
                            HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                        .build()))
            .build();

    ClusterSettings settings = ClusterTranslator.translate(proto, null);

    assertThat(settings.policy()).isEqualTo(LoadBalancer.Policy.MAGLEV);
    assertThat(settings.endpoints())
        .containsExactly(new Endpoint("a", 80, 3), new Endpoint("b", 8080, 1));
    assertThat(settings.connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(settings.http2()).isTrue();
    assertThat(settings.thresholds()).isEqualTo(new ClusterSettings.Thresholds(1024, 1024, 10, 3));
    assertThat(settings.outlier().consecutive5xx()).isEqualTo(2);
    assertThat(settings.outlier().baseEjectionTime()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(settings.healthyPanicThreshold()).isEqualTo(50);
  }

  @Test
  void anEdsClusterTakesItsEndpointsFromTheAssignment() {
    Cluster eds = Cluster.newBuilder().setName("k8s").setType(Cluster.DiscoveryType.EDS).build();
    ClusterLoadAssignment assignment =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("k8s")
            .addEndpoints(
                LocalityLbEndpoints.newBuilder().addLbEndpoints(endpoint("10.1.0.5", 8080, 1)))
            .build();

    assertThat(ClusterTranslator.translate(eds, assignment).endpoints())
        .containsExactly(new Endpoint("10.1.0.5", 8080, 1));
    assertThat(ClusterTranslator.translate(eds, null).endpoints()).isEmpty();
  }

  @Test
  void unsupportedFieldsAndPoliciesAreRefusedByName() {
    assertThatThrownBy(
            () -> ClusterTranslator.translate(cluster().setRespectDnsTtl(true).build(), null))
        .isInstanceOf(XdsException.class)
        .hasMessage(
            "cluster quote.respect_dns_ttl: field envoy.config.cluster.v3.Cluster.respect_dns_ttl is not supported by edge-proxy");
    assertThatThrownBy(
            () ->
                ClusterTranslator.translate(
                    cluster().setLbPolicy(Cluster.LbPolicy.RANDOM).build(), null))
        .hasMessage("cluster quote: lb_policy RANDOM is not supported by edge-proxy");
  }
}
