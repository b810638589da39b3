package dev.gatehouse.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State-of-the-world updates: resources whose bytes were accepted before keep their message and
 * what was compiled from it; changed ones are compiled again; and the shortcut never lets through
 * what a full parse would refuse.
 */
class XdsResourcesTest {
  private static Cluster cluster(String name, int port) {
    return StaticClusters.at(name, port).toBuilder()
        .setConnectTimeout(Duration.newBuilder().setSeconds(2))
        .build();
  }

  private static RouteConfiguration routes(String name, String prefix) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("all")
                .addDomains("*")
                .addRoutes(
                    Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
                        .setRoute(RouteAction.newBuilder().setCluster("a"))))
        .build();
  }

  /** Packed as a control plane sends them: fresh bytes each time, as parsed from the wire. */
  private static List<Any> wire(com.google.protobuf.Message... resources) throws Exception {
    List<Any> out = new java.util.ArrayList<>();
    for (com.google.protobuf.Message resource : resources) {
      out.add(Any.parseFrom(Any.pack(resource).toByteArray()));
    }
    return out;
  }

  @Test
  void anUnchangedClusterKeepsItsCompiledSettingsAndAChangedOneIsCompiledAgain() throws Exception {
    XdsResources first =
        XdsResources.EMPTY.with(XdsResources.CDS, wire(cluster("a", 8001), cluster("b", 8002)));

    XdsResources second =
        first.with(XdsResources.CDS, wire(cluster("a", 8001), cluster("b", 9002)));

    assertThat(second.clusters().get("a")).isSameAs(first.clusters().get("a"));
    assertThat(second.clusterSettings().get("a")).isSameAs(first.clusterSettings().get("a"));
    assertThat(second.clusterSettings().get("b")).isNotSameAs(first.clusterSettings().get("b"));
    assertThat(second.clusterSettings().get("b").endpoints().get(0).port()).isEqualTo(9002);
    // The same as compiling everything afresh.
    XdsResources fresh =
        XdsResources.EMPTY.with(XdsResources.CDS, wire(cluster("a", 8001), cluster("b", 9002)));
    assertThat(second.clusterSettings()).isEqualTo(fresh.clusterSettings());
  }

  @Test
  void anEdsUpdateRecompilesOnlyTheClusterWhoseEndpointsChanged() throws Exception {
    Cluster eds =
        Cluster.newBuilder()
            .setName("e")
            .setType(Cluster.DiscoveryType.EDS)
            .setConnectTimeout(Duration.newBuilder().setSeconds(1))
            .build();
    XdsResources withClusters =
        XdsResources.EMPTY.with(XdsResources.CDS, wire(eds, cluster("a", 8001)));
    ClusterLoadAssignment endpoints = cluster("e", 7000).getLoadAssignment();

    XdsResources withEndpoints = withClusters.with(XdsResources.EDS, wire(endpoints));

    assertThat(withEndpoints.clusterSettings().get("a"))
        .isSameAs(withClusters.clusterSettings().get("a"));
    assertThat(withEndpoints.clusterSettings().get("e").endpoints()).hasSize(1);
    assertThat(withClusters.clusterSettings().get("e").endpoints()).isEmpty();
  }

  @Test
  void anUnchangedRouteConfigurationKeepsItsTable() throws Exception {
    XdsResources first =
        XdsResources.EMPTY.with(XdsResources.RDS, wire(routes("one", "/a"), routes("two", "/b")));

    XdsResources second =
        first.with(XdsResources.RDS, wire(routes("one", "/a"), routes("two", "/c")));

    assertThat(second.routeTables().get("one")).isSameAs(first.routeTables().get("one"));
    assertThat(second.routeTables().get("two")).isNotSameAs(first.routeTables().get("two"));
    assertThat(second.routes().get("two").getVirtualHosts(0).getRoutes(0).getMatch().getPrefix())
        .isEqualTo("/c");
  }

  @Test
  void knownBytesUnderAnotherTypeUrlAreStillRefused() throws Exception {
    Cluster a = cluster("a", 8001);
    XdsResources first = XdsResources.EMPTY.with(XdsResources.CDS, wire(a));
    Any mislabelled =
        Any.newBuilder()
            .setTypeUrl("type.googleapis.com/envoy.config.listener.v3.Listener")
            .setValue(a.toByteString())
            .build();

    assertThatThrownBy(() -> first.with(XdsResources.CDS, List.of(mislabelled)))
        .isInstanceOf(XdsException.class)
        .hasMessageContaining("does not parse");
  }

  @Test
  void aRefusedResourceIsRefusedAgainWhenItsBytesComeBack() throws Exception {
    Cluster bad = cluster("a", 8001).toBuilder().setRespectDnsTtl(true).build();
    XdsResources good = XdsResources.EMPTY.with(XdsResources.CDS, wire(cluster("a", 8001)));

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> good.with(XdsResources.CDS, wire(bad)))
          .isInstanceOf(XdsException.class)
          .hasMessageContaining("respect_dns_ttl");
    }
  }
}
