package dev.gatehouse.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.ClusterDirectory;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.compile.IncrementalCompiler;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RoutePackerTest {
  private final RoutePacker packer = new RoutePacker();

  private void assertPackedAsAnyPack(List<RouteConfiguration> routes) {
    packer.pack(routes);
    for (RouteConfiguration config : routes) {
      Any packed = packer.serialize(config, Resources.ApiVersion.V3);
      assertThat(packed.toByteArray()).isEqualTo(Any.pack(config).toByteArray());
    }
  }

  @Test
  void everyGoldenConfigurationIsPackedByteForByteAsAnyPack() throws IOException {
    List<Path> inputs;
    try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/golden"))) {
      inputs = dirs.map(d -> d.resolve("input.yaml")).sorted().toList();
    }
    for (Path input : inputs) {
      CompiledConfig compiled =
          new IncrementalCompiler(CompilerOptions.DEFAULTS)
              .compile(ResourceLoader.load(input), ClusterDirectory.NONE);
      assertPackedAsAnyPack(compiled.routes());
    }
  }

  @Test
  void anEditedConfigurationReusesTheKeptRoutesAndStillPacksExactly() throws IOException {
    String yaml = Files.readString(Path.of("src/test/resources/golden/match-kinds/input.yaml"));
    IncrementalCompiler compiler = new IncrementalCompiler(CompilerOptions.DEFAULTS);
    CompiledConfig first =
        compiler.compile(
            new ResourceLoader().addText(yaml, "a.yaml").result(), ClusterDirectory.NONE);
    assertPackedAsAnyPack(first.routes());

    CompiledConfig second =
        compiler.compile(
            new ResourceLoader()
                .addText(
                    yaml
                        + "---\napiVersion: getambassador.io/v3alpha1\nkind: Mapping\n"
                        + "metadata: {name: added}\nspec: {prefix: /added/, service: added}\n",
                    "a.yaml")
                .result(),
            ClusterDirectory.NONE);

    assertPackedAsAnyPack(second.routes());
  }

  @Test
  void randomEditsOfKeptRoutesPackExactlyEveryTime() {
    java.util.Random random = new java.util.Random(42);
    List<Route> http = new ArrayList<>();
    List<Route> other = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      http.add(route(random));
      other.add(route(random));
    }
    for (int round = 0; round < 300; round++) {
      List<Route> edited = random.nextBoolean() ? http : other;
      int at = edited.isEmpty() ? 0 : random.nextInt(edited.size());
      switch (random.nextInt(6)) {
        case 0 -> edited.set(at, route(random)); // an edited Mapping
        case 1 -> edited.add(at, route(random)); // an added one
        case 2 -> {
          if (!edited.isEmpty()) {
            edited.remove(at); // a removed one
          }
        }
        case 3 -> {
          if (!edited.isEmpty()) {
            edited.add(random.nextInt(edited.size()), edited.remove(at)); // one that moved
          }
        }
        case 4 -> java.util.Collections.swap(edited, at, random.nextInt(edited.size()));
        default -> {} // nothing changed
      }
      RouteConfiguration config =
          RouteConfiguration.newBuilder()
              .setName("routes-http")
              .addVirtualHosts(
                  VirtualHost.newBuilder().setName("a").addDomains("a.example").addAllRoutes(http))
              .addVirtualHosts(VirtualHost.newBuilder().setName("empty").addDomains("e.example"))
              .addVirtualHosts(
                  VirtualHost.newBuilder().setName("b").addDomains("*").addAllRoutes(other))
              .build();

      assertPackedAsAnyPack(List.of(config));
    }
  }

  private static Route route(java.util.Random random) {
    // Varied lengths, so that a shifted byte range would show.
    return Route.newBuilder()
        .setName("r" + random.nextInt(1_000_000))
        .setMatch(RouteMatch.newBuilder().setPrefix("/" + "x".repeat(random.nextInt(300)) + "/"))
        .setRoute(RouteAction.newBuilder().setCluster("c" + random.nextInt(10)))
        .build();
  }

  @Test
  void aConfigurationItWasNotGivenIsPackedTheUsualWay() {
    RouteConfiguration other = RouteConfiguration.newBuilder().setName("other").build();

    assertThat(packer.serialize(other, Resources.ApiVersion.V3)).isEqualTo(Any.pack(other));
  }
}
