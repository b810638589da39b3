package dev.gatehouse.config.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.mapping.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsedFilesTest {
  @TempDir Path dir;

  private static String mapping(String name, String prefix, int timeout) {
    return """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata:
          name: %s
        spec:
          prefix: %s
          service: quote
          timeout_ms: %d
        ---
        """
        .formatted(name, prefix, timeout);
  }

  private static final String FILTER_POLICY =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: FilterPolicy
      metadata:
        name: policy
      spec:
        rules:
        - host: "*"
          path: /a/
          filters:
          - name: jwt
      ---
      """;

  private static final String FILTER =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Filter
      metadata:
        name: jwt
      spec:
        JWT:
          jwksURI: https://issuer.example/jwks
      ---
      """;

  private void write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Each step: the incremental load equals a full load of the same files, problems included. */
  private void assertSameAsFullLoad(ParsedFiles files) {
    LoadResult incremental = files.load();
    assertThat(incremental).isEqualTo(ResourceLoader.load(dir));
  }

  @Test
  void aSequenceOfEditsLoadsExactlyAsAFullLoadWhileParsingOnlyWhatChanged() throws IOException {
    write("a.yaml", mapping("a", "/a/", 100) + mapping("b", "/b/", 100));
    write("b.yaml", mapping("c", "/c/", 100));
    write("sub/c.yaml", FILTER_POLICY);
    ParsedFiles files = new ParsedFiles(dir, "default");
    assertSameAsFullLoad(files);
    assertThat(files.parses()).isEqualTo(3);

    // A duplicate across files: the later file's copy is rejected, naming the first.
    write("b.yaml", mapping("c", "/c/", 100) + mapping("a", "/dup/", 100));
    assertSameAsFullLoad(files);
    assertThat(files.parses()).isEqualTo(4);

    // A duplicate within the later file too, and an invalid Mapping between them.
    write("b.yaml", mapping("a", "/dup/", 100) + mapping("d", "/d/", -1) + mapping("a", "/x/", 1));
    assertSameAsFullLoad(files);

    // A reference across files: the FilterPolicy is rejected until its Filter exists.
    write("sub/filter.yaml", FILTER);
    assertSameAsFullLoad(files);
    assertThat(files.parses()).isEqualTo(6);

    // Not YAML, then deleted; a new directory.
    write("a.yaml", "kind: [\n");
    assertSameAsFullLoad(files);
    Files.delete(dir.resolve("a.yaml"));
    write("new/e.yml", mapping("e", "/e/", 100));
    assertSameAsFullLoad(files);
    assertThat(files.parses()).isEqualTo(8);
  }

  @Test
  void nothingChangedGivesNull() throws IOException {
    write("a.yaml", mapping("a", "/a/", 100));
    ParsedFiles files = new ParsedFiles(dir, "default");
    assertThat(files.load()).isNotNull();

    assertThat(files.load()).isNull();

    files.suspect(List.of(dir.resolve("a.yaml")));
    assertThat(files.load()).isNull();
    assertThat(files.parses()).isEqualTo(1);
  }

  @Test
  void aSuspectFileIsReadEvenWhenItsStampIsUnchanged() throws IOException {
    write("a.yaml", mapping("a", "/a/", 100));
    ParsedFiles files = new ParsedFiles(dir, "default");
    files.load();
    var modified = Files.getLastModifiedTime(dir.resolve("a.yaml"));

    // Same size, same time: what a second write within the file system's clock tick looks like.
    write("a.yaml", mapping("a", "/z/", 100));
    Files.setLastModifiedTime(dir.resolve("a.yaml"), modified);
    files.suspect(List.of(dir.resolve("a.yaml")));

    LoadResult reloaded = files.load();
    assertThat(reloaded.ofKind(Kind.MAPPING, Mapping.class).get(0).spec().prefix())
        .isEqualTo("/z/");
    assertThat(files.parses()).isEqualTo(2);
  }

  @Test
  void aMissingDirectoryIsReportedAsAFullLoadReportsIt() {
    ParsedFiles files = new ParsedFiles(dir.resolve("nope"), "default");

    assertThat(files.load()).isEqualTo(ResourceLoader.load(dir.resolve("nope")));
  }
}
