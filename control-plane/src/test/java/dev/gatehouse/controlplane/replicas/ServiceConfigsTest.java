package dev.gatehouse.controlplane.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.config.watch.LastGood;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigsTest {
  @TempDir Path dir;

  @Test
  void eachServiceGetsItsKindsAsTheyWereWrittenAndReloadsThemAtTheSameLines() throws Exception {
    Files.writeString(
        dir.resolve("all.yaml"),
        Fixtures.MAPPING + "---\n" + Fixtures.rateLimit(10) + "---\n" + Fixtures.FILTER);
    LoadResult loaded = ResourceLoader.load(dir);

    Map<String, ServiceConfig> configs = new ServiceConfigs(dir).compile(loaded);

    ServiceConfig ratelimit = configs.get(Distribution.RATELIMIT);
    assertThat(ratelimit.documents())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo("RateLimit default/backend");
              assertThat(d.origin()).isEqualTo("all.yaml");
              assertThat(d.line()).isEqualTo(6);
              assertThat(d.yaml()).startsWith("# limits for the backend\napiVersion:");
            });
    LoadResult reloaded = ratelimit.load("default");
    assertThat(reloaded.errors()).isEmpty();
    assertThat(reloaded.resources().get(0).source())
        .isEqualTo(
            loaded.resources().stream()
                .filter(r -> r.id().equals("RateLimit default/backend"))
                .findFirst()
                .orElseThrow()
                .source());
    assertThat(configs.get(Distribution.EXT_AUTHZ).documents())
        .extracting(d -> d.id())
        .containsExactly("Filter default/keys");
  }

  @Test
  void theVersionChangesWithTheContentOnlyAndABrokenEditKeepsTheLastGoodText() throws Exception {
    Path file = dir.resolve("limits.yaml");
    Files.writeString(file, Fixtures.rateLimit(10));
    ServiceConfigs services = new ServiceConfigs(dir);
    LoadResult first = ResourceLoader.load(dir);
    String v1 = services.compile(first).get(Distribution.RATELIMIT).version();
    LoadResult second = ResourceLoader.load(dir);
    assertThat(services.compile(second).get(Distribution.RATELIMIT).version()).isEqualTo(v1);

    Files.writeString(file, Fixtures.rateLimit(-1));
    LoadResult broken = LastGood.merge(second, ResourceLoader.load(dir));
    ServiceConfig kept = services.compile(broken).get(Distribution.RATELIMIT);

    assertThat(kept.version()).isEqualTo(v1);
    assertThat(kept.documents().get(0).yaml()).contains("rate: 10");
  }
}
