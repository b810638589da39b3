package dev.gatehouse.authz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configuration directory for a test: YAML and key files written by the test. */
public record ConfigDir(Path path) {

  public ConfigDir write(String file, String content) {
    try {
      Path target = path.resolve(file);
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.writeString(tmp, content);
      Files.move(
          tmp,
          target,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Filter resource named {@code name} whose spec is {@code specYaml} (indented by 2). */
  public static String filter(String name, String specYaml) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Filter\nmetadata:\n  name: "
        + name
        + "\n  namespace: default\nspec:\n"
        + specYaml.indent(2)
        + "---\n";
  }

  /** A FilterPolicy resource named {@code name} whose spec is {@code specYaml}. */
  public static String policy(String name, String specYaml) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: FilterPolicy\nmetadata:\n  name: "
        + name
        + "\n  namespace: default\nspec:\n"
        + specYaml.indent(2)
        + "---\n";
  }
}
