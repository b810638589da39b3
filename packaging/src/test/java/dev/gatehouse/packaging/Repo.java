package dev.gatehouse.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests read: the deployment files live at its root. */
final class Repo {
  private Repo() {}

  /** The repository root, from the {@code gatehouse.root} property that the pom sets. */
  static Path root() {
    String configured = System.getProperty("gatehouse.root");
    Path root =
        (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml"))
        || !Files.isDirectory(root.resolve("packaging"))) {
      throw new IllegalStateException(root + " (expected: the repository root, with pom.xml)");
    }
    return root;
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }
}
