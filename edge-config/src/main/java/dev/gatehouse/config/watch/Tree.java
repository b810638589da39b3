package dev.gatehouse.config.watch;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scan of the watched path: every file and directory under it, symlinks followed, with its
 * {@link FileStamp}; one stat per entry. Two scans are equal when nothing visible changed. A scan
 * that failed anywhere (a vanished entry, a symlink loop, no such path) is {@link #complete()
 * incomplete}, and the watcher then loads the way a full load does.
 */
record Tree(Map<Path, FileStamp> entries, boolean complete) {

  static Tree scan(Path root) {
    Map<Path, FileStamp> entries = new HashMap<>();
    boolean[] failed = {false};
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              entries.put(dir, FileStamp.of(attributes));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              entries.put(file, FileStamp.of(attributes));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              failed[0] = true;
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      failed[0] = true;
    }
    return new Tree(Map.copyOf(entries), !failed[0]);
  }

  /**
   * The YAML files a full load of {@code root} reads, in its order: {@code root} itself when it is
   * a file; else the {@code .yaml} and {@code .yml} regular files, names starting with a dot
   * skipped (as {@code ResourceLoader.yamlFiles}).
   */
  List<Path> yamlFiles(Path root) {
    FileStamp top = entries.get(root);
    if (top != null && top.regularFile()) {
      return List.of(root);
    }
    List<Path> files = new ArrayList<>();
    entries.forEach(
        (path, stamp) -> {
          String name = path.toString();
          if (stamp.regularFile()
              && (name.endsWith(".yaml") || name.endsWith(".yml"))
              && !hidden(root.relativize(path))) {
            files.add(path);
          }
        });
    files.sort(null);
    return files;
  }

  /**
   * The other regular files (not YAML, names starting with a dot skipped) with their stamps: files
   * a listener may read itself, such as API keys.
   */
  Map<Path, FileStamp> otherFiles(Path root) {
    Map<Path, FileStamp> out = new HashMap<>();
    entries.forEach(
        (path, stamp) -> {
          String name = path.toString();
          if (stamp.regularFile()
              && !path.equals(root)
              && !name.endsWith(".yaml")
              && !name.endsWith(".yml")
              && !hidden(root.relativize(path))) {
            out.put(path, stamp);
          }
        });
    return out;
  }

  /** The directories of the tree whose names do not start with a dot, the root included. */
  List<Path> directories(Path root) {
    List<Path> out = new ArrayList<>();
    entries.forEach(
        (path, stamp) -> {
          if (stamp.directory() && (path.equals(root) || !hidden(root.relativize(path)))) {
            out.add(path);
          }
        });
    return out;
  }

  FileStamp stamp(Path path) {
    return entries.get(path);
  }

  static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
