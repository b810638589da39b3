package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceLoaderTest {
  private static final String MAPPING =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata:
        name: %s
      spec:
        prefix: /%s/
        service: quote
      """;

  @TempDir Path dir;

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void readsYamlAndYmlFilesRecursivelyAndNamesThemRelativeToTheRoot() throws IOException {
    write("a.yaml", MAPPING.formatted("a", "a"));
    write("nested/deeper/b.yml", MAPPING.formatted("b", "b"));
    write("notes.txt", "not yaml at all: [");

    LoadResult result = ResourceLoader.load(dir);

    assertThat(result.resources()).map(Resource::name).containsExactly("a", "b");
    assertThat(result.resources().get(1).source())
        .isEqualTo(new Source(Path.of("nested/deeper/b.yml").toString(), 1));
  }

  @Test
  void skipsHiddenDirectoriesSoAMountedConfigMapIsReadOnce() throws IOException {
    // Kubernetes mounts a ConfigMap as ..data/<file> plus a visible symlink to each file.
    write("..2026_11_27/quote.yaml", MAPPING.formatted("quote", "quote"));
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2026_11_27"));
    Files.createSymbolicLink(dir.resolve("quote.yaml"), Path.of("..data/quote.yaml"));

    LoadResult result = ResourceLoader.load(dir);

    assertThat(result.problems()).isEmpty();
    assertThat(result.resources()).map(Resource::name).containsExactly("quote");
  }

  @Test
  void severalDocumentsPerFileEachWithItsOwnLine() {
    LoadResult result =
        new ResourceLoader()
            .addText(
                MAPPING.formatted("one", "one") + "---\n" + MAPPING.formatted("two", "two"),
                "multi.yaml")
            .result();

    assertThat(result.resources())
        .map(Resource::source)
        .containsExactly(new Source("multi.yaml", 1), new Source("multi.yaml", 9));
  }

  @Test
  void aMissingDirectoryIsAnError() {
    LoadResult result = ResourceLoader.load(dir.resolve("nowhere"));

    assertThat(result.hasRejections()).isTrue();
    assertThat(result.errors())
        .map(ConfigError::message)
        .containsExactly("no such file or directory");
  }

  @Test
  void resourcesOfAnotherAmbassadorIdAreIgnoredAndAutomaticMatchesAny() {
    String text =
        MAPPING
                .formatted("mine", "mine")
                .replace("service: quote", "service: quote\n  ambassador_id: [edge]")
            + "---\n"
            + MAPPING
                .formatted("theirs", "theirs")
                .replace("service: quote", "service: quote\n  ambassador_id: other")
            + "---\n"
            + MAPPING
                .formatted("any", "any")
                .replace("service: quote", "service: quote\n  ambassador_id: _automatic_");

    LoadResult result = new ResourceLoader("edge").addText(text, "ids.yaml").result();

    assertThat(result.resources()).map(Resource::name).containsExactly("mine", "any");
    assertThat(result.ignored()).isEqualTo(1);
    assertThat(result.summary())
        .isEqualTo(
            "loaded 2 resources (2 Mapping); rejected 0; ignored 1 objects not for Gatehouse");
  }

  @Test
  void emissarysV2RoundTripHintsFromKubectlLoadWithAWarning() {
    String exported =
        MAPPING.formatted("exported", "exported")
            + "  v2ExplicitTLS:\n    tls: bool:true\n  v2BoolHeaders: [x-debug]\n";

    LoadResult result = new ResourceLoader().addText(exported, "exported.yaml").result();

    assertThat(result.resources()).map(Resource::name).containsExactly("exported");
    assertThat(result.warnings())
        .map(ConfigError::toString)
        .containsExactly(
            "exported.yaml:9: warning: Mapping default/exported: spec.v2ExplicitTLS: not supported by"
                + " Gatehouse yet, ignored (a getambassador.io/v2 round-trip hint)",
            "exported.yaml:10: warning: Mapping default/exported: spec.v2BoolHeaders: not supported by"
                + " Gatehouse yet, ignored (a getambassador.io/v2 round-trip hint)");
  }

  @Test
  void theQuickstartExampleValidatesCleanly() {
    LoadResult result = ResourceLoader.load(Path.of("../examples/quickstart"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.ofKind(Kind.MAPPING, dev.gatehouse.config.mapping.Mapping.class))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(result.ofKind(Kind.FILTER_POLICY, dev.gatehouse.config.auth.FilterPolicy.class))
        .hasSize(1);
    assertThat(result.ofKind(Kind.RATE_LIMIT, dev.gatehouse.config.ratelimit.RateLimit.class))
        .hasSize(1);
  }
}
