package dev.gatehouse.config;

import java.util.Objects;

/**
 * Where a resource or a value came from: a file (relative to the loaded root) or a Kubernetes
 * object, and a 1-based line.
 */
public record Source(String origin, int line) {
  public Source {
    Objects.requireNonNull(origin, "origin");
    if (line < 0) {
      throw new IllegalArgumentException("line: " + line + " (expected: >= 0)");
    }
  }

  /** A source without a line, for resources that did not come from a file. */
  public static Source of(String origin) {
    return new Source(origin, 0);
  }

  public Source atLine(int otherLine) {
    return new Source(origin, otherLine);
  }

  @Override
  public String toString() {
    return line > 0 ? origin + ":" + line : origin;
  }
}
