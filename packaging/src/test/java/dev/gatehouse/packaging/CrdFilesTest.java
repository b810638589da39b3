package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.crd.CrdGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRDs are generated from the edge-config records; this fails when the committed files
 * differ from what the generator writes now. {@code -Dgatehouse.crd.write=true} rewrites them.
 */
class CrdFilesTest {
  private static final Path DIR = Repo.path("helm/gatehouse/crds");

  @BeforeAll
  static void writeWhenAsked() throws IOException {
    if (Boolean.getBoolean("gatehouse.crd.write")) {
      CrdGenerator.write(DIR);
    }
  }

  @Test
  void committedCrdsAreTheGeneratedOnes() throws IOException {
    Map<String, String> generated = CrdGenerator.files();
    try (Stream<Path> files = Files.list(DIR)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as(
              "files in helm/gatehouse/crds (regenerate with -Dgatehouse.crd.write=true, see"
                  + " packaging/README.md)")
          .containsExactlyInAnyOrderElementsOf(generated.keySet());
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      assertThat(Files.readString(DIR.resolve(file.getKey()), StandardCharsets.UTF_8))
          .as(
              "helm/gatehouse/crds/%s is out of date with the records (regenerate with"
                  + " -Dgatehouse.crd.write=true, see packaging/README.md)",
              file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everyServedKindHasACrd() {
    assertThat(CrdGenerator.files()).hasSize(Kind.values().length);
    for (Kind kind : Kind.values()) {
      assertThat(DIR.resolve("getambassador.io_" + CrdGenerator.plural(kind) + ".yaml"))
          .isRegularFile();
    }
  }
}
