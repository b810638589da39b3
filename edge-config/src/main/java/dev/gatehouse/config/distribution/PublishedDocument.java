package dev.gatehouse.config.distribution;

import java.io.Serializable;
import java.util.Objects;

/**
 * One resource as it was written: the YAML text of its document, the file (or object) it came from
 * and the line where the document starts, so that a subscriber's errors point at the original.
 *
 * @param origin the source as the control plane named it, e.g. {@code auth/filters.yaml}
 * @param line the 1-based line of the document's first line in {@code origin}
 * @param id {@code Kind namespace/name}
 */
public record PublishedDocument(String origin, int line, String id, String yaml)
    implements Serializable {

  public PublishedDocument {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(yaml, "yaml");
    if (line < 1) {
      throw new IllegalArgumentException("line: " + line + " (expected: >= 1)");
    }
  }

  /** The text to hand to the loader: the YAML, preceded by blank lines so that lines match. */
  public String textForLoader() {
    return "\n".repeat(line - 1) + yaml;
  }
}
