package dev.gatehouse.controlplane.xds;

import static dev.gatehouse.controlplane.xds.AdsClient.CLUSTERS;
import static dev.gatehouse.controlplane.xds.AdsClient.LISTENERS;
import static dev.gatehouse.controlplane.xds.AdsClient.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.Compiler;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XdsServerIT {
  private Vertx vertx;
  private XdsCallbacks callbacks;
  private XdsServer server;

  static CompiledConfig config(String prefix) {
    return new Compiler()
        .compile(
            new ResourceLoader()
                .addText(
                    "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: m}\n"
                        + "spec: {prefix: "
                        + prefix
                        + ", service: backend}\n",
                    "m.yaml")
                .result());
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    callbacks = new XdsCallbacks();
    server =
        new XdsServer(vertx, callbacks, Duration.ofMillis(300))
            .listen("127.0.0.1", 0)
            .await(10, TimeUnit.SECONDS);
    server.publisher().publish(config("/a/")).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void servesEachTypeWithItsContentVersionAndANonce() throws Exception {
    CompiledConfig served = config("/a/");
    try (AdsClient ads = new AdsClient(server.actualPort(), "proxy-1")) {
      ads.subscribe(CLUSTERS);
      DiscoveryResponse clusters = ads.next();
      ads.ack(clusters);
      ads.subscribe(LISTENERS);
      DiscoveryResponse listeners = ads.next();
      ads.ack(listeners);
      ads.subscribe(ROUTES, Compiler.HTTP_ROUTES);
      DiscoveryResponse routes = ads.next();
      ads.ack(routes, Compiler.HTTP_ROUTES);

      assertThat(clusters.getTypeUrl()).isEqualTo(CLUSTERS);
      assertThat(clusters.getVersionInfo()).isEqualTo(served.clustersVersion());
      assertThat(clusters.getResourcesCount()).isEqualTo(1);
      assertThat(listeners.getVersionInfo()).isEqualTo(served.listenersVersion());
      assertThat(routes.getVersionInfo()).isEqualTo(served.routesVersion());
      assertThat(routes.getResources(0).unpack(RouteConfiguration.class))
          .isEqualTo(served.routes().get(0));
      assertThat(java.util.Set.of(clusters.getNonce(), listeners.getNonce(), routes.getNonce()))
          .hasSize(3)
          .doesNotContain("");
      await().atMost(Duration.ofSeconds(5)).until(() -> callbacks.acks() == 3);
      assertThat(ads.nextWithin(300)).as("an ACKed version is not sent again").isNull();
    }
  }

  @Test
  void anEditedMappingPushesOnlyTheRoutesWithANewVersionAndNonce() throws Exception {
    try (AdsClient ads = subscribedToAll()) {
      DiscoveryResponse before = lastRoutes;

      boolean changed = server.publisher().publish(config("/b/")).await(10, TimeUnit.SECONDS);
      DiscoveryResponse update = ads.next();

      assertThat(changed).isTrue();
      assertThat(update.getTypeUrl()).isEqualTo(ROUTES);
      assertThat(update.getVersionInfo())
          .isEqualTo(config("/b/").routesVersion())
          .isNotEqualTo(before.getVersionInfo());
      assertThat(update.getNonce()).isNotEqualTo(before.getNonce());
      ads.ack(update, Compiler.HTTP_ROUTES);
      assertThat(ads.nextWithin(300)).as("clusters and listeners did not change").isNull();
    }
  }

  @Test
  void aNewUpstreamArrivesBeforeItsRoutesAndTheOldOneLeavesAfterTheGrace() throws Exception {
    // Make before break: a proxy that got the route first would answer 503 (no such cluster),
    // and one that lost the old cluster before its new routes came would too.
    try (AdsClient ads = subscribedToAll()) {
      CompiledConfig next =
          new Compiler()
              .compile(
                  new ResourceLoader()
                      .addText(
                          "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\n"
                              + "metadata: {name: m}\nspec: {prefix: /a/, service: elsewhere}\n",
                          "m.yaml")
                      .result());
      String oldCluster = config("/a/").clusters().get(0).getName();
      String newCluster = next.clusters().get(0).getName();

      server.publisher().publish(next).await(10, TimeUnit.SECONDS);
      DiscoveryResponse both = ads.next();
      ads.ack(both);
      DiscoveryResponse routes = ads.next();
      ads.ack(routes, Compiler.HTTP_ROUTES);
      DiscoveryResponse onlyNew = ads.next();

      assertThat(both.getTypeUrl()).isEqualTo(CLUSTERS);
      assertThat(names(both)).containsExactlyInAnyOrder(oldCluster, newCluster);
      assertThat(routes.getTypeUrl()).isEqualTo(ROUTES);
      assertThat(routes.getVersionInfo()).isEqualTo(next.routesVersion());
      assertThat(onlyNew.getTypeUrl()).isEqualTo(CLUSTERS);
      assertThat(names(onlyNew)).containsExactly(newCluster);
      assertThat(onlyNew.getVersionInfo()).isEqualTo(next.clustersVersion());
    }
  }

  private static java.util.List<String> names(DiscoveryResponse clusters) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (com.google.protobuf.Any any : clusters.getResourcesList()) {
      out.add(any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName());
    }
    return out;
  }

  @Test
  void republishingTheSameContentSendsNothing() throws Exception {
    try (AdsClient ads = subscribedToAll()) {
      boolean changed = server.publisher().publish(config("/a/")).await(10, TimeUnit.SECONDS);

      assertThat(changed).isFalse();
      assertThat(ads.nextWithin(300)).isNull();
    }
  }

  @Test
  void aNackIsCountedAndLoggedWithItsDetailAndTheServerKeepsServing() throws Exception {
    try (AdsClient ads = subscribedToAll()) {
      server.publisher().publish(config("/b/")).await(10, TimeUnit.SECONDS);
      DiscoveryResponse rejected = ads.next();

      ads.nack(rejected, lastRoutes.getVersionInfo(), "route: bad regex", Compiler.HTTP_ROUTES);
      await().atMost(Duration.ofSeconds(5)).until(() -> callbacks.nacks() >= 1);
      server.publisher().publish(config("/c/")).await(10, TimeUnit.SECONDS);
      // java-control-plane answers a NACK with what it serves (it differs from the kept
      // version), so the rejected version may come once more before the repaired one.
      DiscoveryResponse repaired = ads.next();
      // Envoy rejects it again, and then gets the repaired version.
      if (repaired.getVersionInfo().equals(rejected.getVersionInfo())) {
        ads.nack(repaired, lastRoutes.getVersionInfo(), "route: bad regex", Compiler.HTTP_ROUTES);
        repaired = ads.next();
      }

      assertThat(callbacks.lastNack())
          .contains("proxy-1")
          .contains(ROUTES)
          .contains(rejected.getNonce())
          .contains("keeps version " + lastRoutes.getVersionInfo())
          .endsWith("route: bad regex");
      assertThat(repaired.getVersionInfo()).isEqualTo(config("/c/").routesVersion());
    }
  }

  private DiscoveryResponse lastRoutes;

  /** A client that has received and ACKed clusters, listeners and routes. */
  private AdsClient subscribedToAll() throws Exception {
    AdsClient ads = new AdsClient(server.actualPort(), "proxy-1");
    ads.subscribe(CLUSTERS);
    ads.ack(ads.next());
    ads.subscribe(LISTENERS);
    ads.ack(ads.next());
    ads.subscribe(ROUTES, Compiler.HTTP_ROUTES);
    lastRoutes = ads.next();
    ads.ack(lastRoutes, Compiler.HTTP_ROUTES);
    return ads;
  }

  private static CompiledConfig withEndpoints(String aAddress, String bAddress) {
    CompiledConfig base = config("/a/");
    java.util.List<io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment> endpoints =
        java.util.List.of(assignment("eds-a", aAddress), assignment("eds-b", bAddress));
    return new CompiledConfig(
        base.listeners(),
        base.routes(),
        base.clusters(),
        base.problems(),
        base.routeTable(),
        endpoints,
        java.util.List.of());
  }

  private static io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment assignment(
      String cluster, String address) {
    return io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.newBuilder()
        .setClusterName(cluster)
        .addEndpoints(
            io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(
                    io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint.newBuilder()
                        .setEndpoint(
                            io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                .setAddress(
                                    io.envoyproxy.envoy.config.core.v3.Address.newBuilder()
                                        .setSocketAddress(
                                            io.envoyproxy.envoy.config.core.v3.SocketAddress
                                                .newBuilder()
                                                .setAddress(address)
                                                .setPortValue(8080))))))
        .build();
  }

  @Test
  void aWatchOnOneLoadAssignmentIsAnsweredOnlyWhenThatOneChanges() throws Exception {
    server.publisher().publish(withEndpoints("10.0.0.1", "10.0.0.2")).await(10, TimeUnit.SECONDS);
    try (AdsClient ads = new AdsClient(server.actualPort(), "proxy-1")) {
      ads.subscribe(AdsClient.ENDPOINTS, "eds-a");
      DiscoveryResponse first = ads.next();
      ads.ack(first, "eds-a");

      server.publisher().publish(withEndpoints("10.0.0.1", "10.0.0.3")).await(10, TimeUnit.SECONDS);
      assertThat(ads.nextWithin(500)).as("only eds-b changed").isNull();

      server.publisher().publish(withEndpoints("10.0.0.4", "10.0.0.3")).await(10, TimeUnit.SECONDS);
      DiscoveryResponse changed = ads.next();

      assertThat(first.getResourcesCount()).isEqualTo(1);
      assertThat(changed.getTypeUrl()).isEqualTo(AdsClient.ENDPOINTS);
      assertThat(changed.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
      assertThat(
              changed
                  .getResources(0)
                  .unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class)
                  .getEndpoints(0)
                  .getLbEndpoints(0)
                  .getEndpoint()
                  .getAddress()
                  .getSocketAddress()
                  .getAddress())
          .isEqualTo("10.0.0.4");
    }
  }
}
