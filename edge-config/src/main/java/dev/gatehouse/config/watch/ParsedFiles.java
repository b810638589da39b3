package dev.gatehouse.config.watch;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ParsedFile;
import dev.gatehouse.config.ResourceLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parsed content of each YAML file under a directory (or of one file), kept between loads: a
 * file is read again when its {@link FileStamp} changed or a file-system event named it, and parsed
 * again only when the SHA-256 of its content changed. The files are then added to one load in
 * {@link ResourceLoader}'s order and checked across files, so the result equals a full load.
 *
 * <p>Confined to the watcher's thread, except {@link #parses()}.
 */
final class ParsedFiles {
  private record Entry(FileStamp stamp, byte[] sha256, ParsedFile parsed) {}

  private final Path root;
  private final String ambassadorId;
  private final AtomicLong parses = new AtomicLong();
  private final Set<Path> suspects = new HashSet<>();
  private boolean everySuspect;
  private Map<Path, Entry> entries = new HashMap<>();
  // False before the first load and after a load that could not list the files.
  private boolean listed;

  ParsedFiles(Path root, String ambassadorId) {
    this.root = root;
    this.ambassadorId = ambassadorId;
  }

  /** Marks files to read again whatever their stamps say; null marks every file. */
  void suspect(List<Path> paths) {
    if (paths == null) {
      everySuspect = true;
    } else {
      paths.forEach(p -> suspects.add(p.toAbsolutePath()));
    }
  }

  /** How many times a file has been parsed. */
  long parses() {
    return parses.get();
  }

  /** {@link #load(Tree)} with a scan of its own. */
  LoadResult load() {
    return load(Tree.scan(root));
  }

  /**
   * The validated resources of every file, or null when no file was added, removed or changed in
   * content since the last load; {@code tree} is a scan of the root taken just before.
   */
  LoadResult load(Tree tree) {
    FileStamp top = tree.stamp(root);
    if (!tree.complete() || top == null || !(top.regularFile() || top.directory())) {
      // Missing or not fully listable: the loader reports it the way a full load does.
      entries = new HashMap<>();
      listed = false;
      return new ResourceLoader(ambassadorId).add(root).result();
    }
    List<Path> paths = tree.yamlFiles(root);
    boolean changed = !listed;
    Map<Path, Entry> next = new HashMap<>();
    List<ParsedFile> inOrder = new ArrayList<>(paths.size());
    for (Path path : paths) {
      Entry before = entries.get(path);
      Entry entry = refresh(path, before, tree.stamp(path), top.regularFile());
      changed |= before == null || entry.parsed() != before.parsed();
      next.put(path, entry);
      inOrder.add(entry.parsed());
    }
    changed |= !next.keySet().equals(entries.keySet());
    entries = next;
    listed = true;
    suspects.clear();
    everySuspect = false;
    if (!changed) {
      return null;
    }
    ResourceLoader loader = new ResourceLoader(ambassadorId);
    inOrder.forEach(loader::add);
    return loader.result();
  }

  private Entry refresh(Path path, Entry before, FileStamp stamp, boolean rootIsFile) {
    boolean suspect = everySuspect || suspects.contains(path.toAbsolutePath());
    if (before != null && stamp != null && stamp.equals(before.stamp()) && !suspect) {
      return before;
    }
    String origin = rootIsFile ? root.getFileName().toString() : root.relativize(path).toString();
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (IOException | UncheckedIOException e) {
      parses.incrementAndGet();
      return new Entry(null, null, ResourceLoader.unreadable(origin, e));
    }
    byte[] sha256 = sha256(content);
    if (before != null && Arrays.equals(sha256, before.sha256())) {
      return new Entry(stamp, sha256, before.parsed());
    }
    parses.incrementAndGet();
    ParsedFile parsed = ResourceLoader.parse(content, origin, ambassadorId);
    return new Entry(
        stamp, sha256, before == null ? parsed : parsed.keepingEqualResourcesOf(before.parsed()));
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
