package dev.gatehouse.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** YAML resources for the launcher's tests, written into a test's temporary directory. */
final class Fixtures {
  static final String VALID_MAPPING =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata:
        name: quote
        namespace: default
      spec:
        prefix: /backend/
        service: quote
      """;

  /** {@code timeout_ms} is on line 7. */
  static final String NEGATIVE_TIMEOUT_MAPPING =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata:
        name: quote
        namespace: default
      spec:
        timeout_ms: -5
        prefix: /backend/
        service: quote
      """;

  static final String NEGATIVE_TIMEOUT_ERROR =
      "bad.yaml:7: Mapping default/quote: spec.timeout_ms: -5 (expected: >= 0)";

  private Fixtures() {}

  /** A directory under {@code parent} holding one file. */
  static Path directoryWith(Path parent, String directory, String file, String yaml)
      throws IOException {
    Path dir = Files.createDirectories(parent.resolve(directory));
    Files.writeString(dir.resolve(file), yaml);
    return dir;
  }
}
