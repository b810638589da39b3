package dev.gatehouse.authz.apikey;

import dev.gatehouse.config.auth.ApiKeyFilter.KeySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads key files (one key per line; blank lines and lines starting with {@code #} ignored),
 * relative to the configuration directory. A {@code secretName} cannot be read here: Secrets come
 * from Kubernetes through the control plane.
 */
public final class FileSecretSource implements SecretSource {
  private final Path base;

  public FileSecretSource(Path configDir) {
    Path dir = configDir.toAbsolutePath().normalize();
    this.base = Files.isRegularFile(dir) ? dir.getParent() : dir;
  }

  @Override
  public List<String> keys(String namespace, KeySource source) {
    if (source.file() == null) {
      throw new SecretException(
          "secretName "
              + namespace
              + "/"
              + source.secretName()
              + ": Kubernetes Secrets are not available without the control plane"
              + " (expected: keys[].file for a directory configuration)");
    }
    Path file = base.resolve(source.file()).normalize();
    try {
      List<String> keys =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList();
      if (keys.isEmpty()) {
        throw new SecretException("key file " + file + ": no keys (expected: one key per line)");
      }
      return keys;
    } catch (IOException e) {
      throw new SecretException(
          "key file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
