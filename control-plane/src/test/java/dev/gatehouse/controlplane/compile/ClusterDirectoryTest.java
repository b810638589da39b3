package dev.gatehouse.controlplane.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ResourceLoader;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterDirectoryTest {
  static final ClusterDirectory.Port HTTP =
      new ClusterDirectory.Port(
          "http", 80, List.of(new ClusterDirectory.Address("10.0.0.1", 8080)));
  static final ClusterDirectory DIRECTORY =
      new ClusterDirectory(
          true,
          Map.of(
              "shop/quote",
              new ClusterDirectory.KubeService("shop", "quote", List.of(HTTP)),
              "shop/multi",
              new ClusterDirectory.KubeService(
                  "shop",
                  "multi",
                  List.of(HTTP, new ClusterDirectory.Port("grpc", 9000, List.of())))),
          Map.of());

  @Test
  void resolvesTheServiceFormsEmissaryAccepts() {
    assertThat(DIRECTORY.resolve("quote", 80, false, "shop"))
        .map(ClusterDirectory.Target::id)
        .contains("quote.shop:80");
    assertThat(DIRECTORY.resolve("quote.shop", 80, true, "other"))
        .map(ClusterDirectory.Target::id)
        .contains("quote.shop:80");
    assertThat(DIRECTORY.resolve("quote.shop.svc.cluster.local", 80, true, "other")).isPresent();
    assertThat(DIRECTORY.resolve("quote", 80, false, "other")).as("another namespace").isEmpty();
    assertThat(DIRECTORY.resolve("example.com", 80, false, "shop")).as("a DNS name").isEmpty();
    assertThat(ClusterDirectory.NONE.resolve("quote", 80, false, "shop")).isEmpty();
  }

  @Test
  void anUnwrittenPortTakesASinglePortServicesOnlyPortAndAWrongPortIsAnError() {
    assertThat(DIRECTORY.resolve("quote", 443, false, "shop"))
        .map(ClusterDirectory.Target::id)
        .contains("quote.shop:80");
    assertThatThrownBy(() -> DIRECTORY.resolve("multi", 81, true, "shop"))
        .hasMessage("Service shop/multi has no port 81 (expected: one of 80, 9000)");
  }

  @Test
  void aMappingToAKnownServiceCompilesToAnEdsClusterWithItsReadyEndpoints() {
    var loaded =
        new ResourceLoader()
            .addText(
                "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\n"
                    + "metadata: {name: q, namespace: shop}\nspec: {prefix: /q/, service: quote}\n"
                    + "---\napiVersion: getambassador.io/v3alpha1\nkind: Mapping\n"
                    + "metadata: {name: bad, namespace: shop}\n"
                    + "spec: {prefix: /b/, service: 'multi:81'}\n",
                "k.yaml")
            .result();

    CompiledConfig compiled = new Compiler().compile(loaded, DIRECTORY);

    assertThat(compiled.clusters())
        .singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.EDS));
    assertThat(compiled.endpoints())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getClusterName()).isEqualTo(compiled.clusters().get(0).getName());
              assertThat(
                      a.getEndpoints(0)
                          .getLbEndpoints(0)
                          .getEndpoint()
                          .getAddress()
                          .getSocketAddress()
                          .getPortValue())
                  .isEqualTo(8080);
            });
    assertThat(compiled.problems().toString())
        .contains(
            "Mapping shop/bad: spec.service: \"multi:81\": Service shop/multi has no port 81");
  }

  @Test
  void endpointChangesLeaveTheClusterAsItWas() {
    var loaded =
        new ResourceLoader()
            .addText(
                "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\n"
                    + "metadata: {name: q, namespace: shop}\nspec: {prefix: /q/, service: quote}\n",
                "k.yaml")
            .result();
    ClusterDirectory scaled =
        new ClusterDirectory(
            true,
            Map.of(
                "shop/quote",
                new ClusterDirectory.KubeService(
                    "shop",
                    "quote",
                    List.of(
                        new ClusterDirectory.Port(
                            "http",
                            80,
                            List.of(
                                new ClusterDirectory.Address("10.0.0.1", 8080),
                                new ClusterDirectory.Address("10.0.0.2", 8080)))))),
            Map.of());

    CompiledConfig before = new Compiler().compile(loaded, DIRECTORY);
    CompiledConfig after = new Compiler().compile(loaded, scaled);

    assertThat(after.clustersVersion()).isEqualTo(before.clustersVersion());
    assertThat(after.routesVersion()).isEqualTo(before.routesVersion());
    assertThat(after.listenersVersion()).isEqualTo(before.listenersVersion());
    assertThat(after.endpointsVersion()).isNotEqualTo(before.endpointsVersion());
  }
}
