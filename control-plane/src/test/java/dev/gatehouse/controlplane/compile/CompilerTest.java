package dev.gatehouse.controlplane.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CompilerTest {

  private static String mapping(String name, String prefix, String service) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + "}\nspec:\n  prefix: "
        + prefix
        + "\n  service: "
        + service
        + "\n";
  }

  private static LoadResult load(List<String> documents) {
    return new ResourceLoader().addText(String.join("---\n", documents), "test.yaml").result();
  }

  private static List<String> mappings(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(mapping("m" + i, "/svc" + i + "/", "svc" + (i % 7) + ":8080"));
    }
    return out;
  }

  @Test
  void sameResourcesInAnyOrderGiveByteIdenticalXds() {
    List<String> documents = mappings(40);
    String first = XdsJson.print(new Compiler().compile(load(documents)));
    byte[] firstBytes =
        Names.deterministicBytes(new Compiler().compile(load(documents)).routes().get(0));

    List<String> shuffled = new ArrayList<>(documents);
    Collections.shuffle(shuffled, new Random(7));
    CompiledConfig again = new Compiler().compile(load(shuffled));

    assertThat(XdsJson.print(again)).isEqualTo(first);
    assertThat(Names.deterministicBytes(again.routes().get(0))).isEqualTo(firstBytes);
  }

  @Test
  void removingOneMappingRenamesNoOtherRouteOrCluster() {
    // Emissary #4629: names by list position shift when one Mapping goes away.
    List<String> documents = mappings(10);
    CompiledConfig before = new Compiler().compile(load(documents));
    List<String> fewer = new ArrayList<>(documents);
    fewer.remove(3);
    CompiledConfig after = new Compiler().compile(load(fewer));

    List<Route> beforeRoutes = routes(before);
    List<Route> afterRoutes = routes(after);
    assertThat(afterRoutes).hasSize(9);
    Route removed =
        beforeRoutes.stream()
            .filter(r -> r.getMatch().getPrefix().equals("/svc3/"))
            .findFirst()
            .orElseThrow();
    List<Route> kept = new ArrayList<>(beforeRoutes);
    kept.remove(removed);
    assertThat(afterRoutes).containsExactlyElementsOf(kept);
    assertThat(after.clusters()).isSubsetOf(before.clusters());
  }

  @Test
  void routeAndClusterNamesDependOnContentNotPosition() {
    CompiledConfig one = new Compiler().compile(load(List.of(mapping("a", "/x/", "x"))));
    CompiledConfig two =
        new Compiler().compile(load(List.of(mapping("b", "/aaa/", "y"), mapping("a", "/x/", "x"))));

    Route x1 = routes(one).get(0);
    Route x2 =
        routes(two).stream()
            .filter(r -> r.getMatch().getPrefix().equals("/x/"))
            .findFirst()
            .orElseThrow();
    assertThat(x2.getName()).isEqualTo(x1.getName()).startsWith("route_");
    assertThat(x2.getRoute().getCluster())
        .isEqualTo(x1.getRoute().getCluster())
        .startsWith("cluster_x_80_");
  }

  @Test
  void mappingsWithTheSameUpstreamAndSettingsShareOneCluster() {
    CompiledConfig config =
        new Compiler()
            .compile(
                load(List.of(mapping("a", "/a/", "shared:80"), mapping("b", "/b/", "shared"))));

    assertThat(config.clusters()).hasSize(1);
  }

  @Test
  void aBadMappingIsRejectedWithFileLineFieldAndTheOthersStillCompile() {
    String bad =
        "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: bad}\nspec:\n"
            + "  prefix: /bad/\n  service: bad\n  tls: missing\n";
    LoadResult loaded = load(List.of(mapping("good", "/good/", "good"), bad));

    CompiledConfig config = new Compiler().compile(loaded);

    assertThat(routes(config)).extracting(r -> r.getMatch().getPrefix()).containsExactly("/good/");
    assertThat(loaded.errors())
        .map(Object::toString)
        .singleElement()
        .asString()
        .startsWith("test.yaml:14: Mapping default/bad: spec.tls: ");
  }

  @Test
  void twoHostsForOneHostnameAreReportedAndTheFirstByNameServes() {
    String host =
        "apiVersion: getambassador.io/v3alpha1\nkind: Host\nmetadata: {name: %s}\nspec:\n"
            + "  hostname: shop.example.com\n";
    LoadResult loaded =
        load(List.of(host.formatted("b-shop"), host.formatted("a-shop"), mapping("m", "/", "m")));

    CompiledConfig config = new Compiler().compile(loaded);

    assertThat(config.routes().get(0).getVirtualHostsList()).hasSize(1);
    List<String> reported = new ArrayList<>();
    loaded.problems().forEach(p -> reported.add(p.toString()));
    config.problems().forEach(p -> reported.add(p.toString()));
    assertThat(reported)
        .anySatisfy(
            p -> assertThat(p).contains("Host default/b-shop").contains("shop.example.com"));
  }

  @Test
  void versionsChangeOnlyForTheTypeThatChanged() {
    List<String> documents = mappings(5);
    CompiledConfig before = new Compiler().compile(load(documents));
    List<String> edited = new ArrayList<>(documents);
    edited.set(2, mapping("m2", "/renamed/", "svc2:8080"));
    CompiledConfig after = new Compiler().compile(load(edited));

    assertThat(after.routesVersion()).isNotEqualTo(before.routesVersion());
    assertThat(after.clustersVersion()).isEqualTo(before.clustersVersion());
    assertThat(after.listenersVersion()).isEqualTo(before.listenersVersion());
  }

  @Test
  void routeTableNamesEachMappingWithItsSource() {
    CompiledConfig config = new Compiler().compile(load(List.of(mapping("a", "/a/", "a"))));

    assertThat(config.routeTable())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.mappings()).containsExactly("Mapping default/a");
              assertThat(row.sources()).containsExactly("test.yaml:1");
              assertThat(row.match()).isEqualTo("prefix /a/");
            });
  }

  private static List<Route> routes(CompiledConfig config) {
    return config.routes().get(0).getVirtualHostsList().stream()
        .flatMap(v -> v.getRoutesList().stream())
        .collect(Collectors.toList());
  }
}
