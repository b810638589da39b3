package dev.gatehouse.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.ClusterDirectory;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.compile.IncrementalCompiler;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void aConfigurationItWasNotGivenIsPackedTheUsualWay() {
    RouteConfiguration other = RouteConfiguration.newBuilder().setName("other").build();

    assertThat(packer.serialize(other, Resources.ApiVersion.V3)).isEqualTo(Any.pack(other));
  }
}
