package dev.gatehouse.controlplane.replicas;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.distribution.PublishedDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the YAML text of a loaded resource: the document of its file that contains its line.
 * Documents are split at {@code ---} lines. The text is read right after the load; a resource kept
 * as "last good" keeps the text it had when it loaded (remembered by identity), so a broken edit
 * never reaches the services.
 *
 * <p>Not thread-safe: used on the watcher's thread only.
 */
final class DocumentTexts {
  private final Path root;
  private Map<Resource<?>, PublishedDocument> previous = new IdentityHashMap<>();
  private Map<Resource<?>, PublishedDocument> current = new IdentityHashMap<>();
  private final Map<String, List<String>> files = new HashMap<>();

  /**
   * @param root the config directory, or the one config file
   */
  DocumentTexts(Path root) {
    this.root = root;
  }

  /** Starts a new load: texts of resources not seen again are forgotten after it. */
  void begin() {
    previous = current;
    current = new IdentityHashMap<>();
    files.clear();
  }

  Optional<PublishedDocument> of(Resource<?> resource) {
    PublishedDocument known = previous.get(resource);
    if (known == null) {
      known = read(resource);
    }
    if (known != null) {
      current.put(resource, known);
    }
    return Optional.ofNullable(known);
  }

  private PublishedDocument read(Resource<?> resource) {
    String origin = resource.source().origin();
    List<String> lines =
        files.computeIfAbsent(
            origin,
            o -> {
              Path file = Files.isDirectory(root) ? root.resolve(o) : root;
              try {
                return Files.readAllLines(file, StandardCharsets.UTF_8);
              } catch (IOException e) {
                return null;
              }
            });
    int line = resource.source().line();
    if (lines == null || line < 1 || line > lines.size()) {
      return null;
    }
    int start = line - 1;
    while (start > 0 && !separator(lines.get(start - 1))) {
      start--;
    }
    int end = line;
    while (end < lines.size() && !separator(lines.get(end))) {
      end++;
    }
    String yaml = String.join("\n", lines.subList(start, end)) + "\n";
    return new PublishedDocument(origin, start + 1, resource.id(), yaml);
  }

  private static boolean separator(String line) {
    return line.startsWith("---") || line.startsWith("...");
  }
}
