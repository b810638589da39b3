package dev.gatehouse.config.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-system events under a watched directory (inotify on Linux, through {@link WatchService}),
 * used only as a hint that something changed: the watcher then checks the files itself, so a missed
 * or spurious event costs latency at most, never correctness. Every directory of the tree is
 * registered (names starting with a dot skipped, as the loader skips them; a ConfigMap's symlink
 * swap shows as an event in the top directory); for a single watched file, its directory.
 */
class FileEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileEvents.class);

  /** No events: the poll alone notices changes. */
  static final FileEvents NONE = new FileEvents(null, null, null);

  private final Path root;
  private final WatchService service;
  private final Consumer<List<Path>> onChange;
  // Confined to the watcher's thread.
  private final Map<Path, WatchKey> keys = new HashMap<>();

  private FileEvents(Path root, WatchService service, Consumer<List<Path>> onChange) {
    this.root = root;
    this.service = service;
    this.onChange = onChange;
  }

  /**
   * Starts a daemon thread that hands the paths named by each batch of events to {@code onChange}
   * (null after an overflow: anything may have changed). Without a usable watch service, {@link
   * #NONE}.
   */
  static FileEvents start(Path root, Consumer<List<Path>> onChange) {
    WatchService service;
    try {
      service = root.getFileSystem().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("no file-system events for {}; polling only", root, e);
      return NONE;
    }
    FileEvents events = new FileEvents(root, service, onChange);
    Thread thread = new Thread(events::run, "gatehouse-config-events");
    thread.setDaemon(true);
    thread.start();
    return events;
  }

  /** Registers the directories that are not registered yet (again, if they were re-created). */
  void watch(List<Path> directories) {
    if (service == null) {
      return;
    }
    List<Path> dirs = directories;
    if (dirs.isEmpty() && root.toAbsolutePath().getParent() != null) {
      dirs = List.of(root.toAbsolutePath().getParent()); // watching one file: its directory
    }
    for (Path dir : dirs) {
      WatchKey key = keys.get(dir);
      if (key != null && key.isValid()) {
        continue;
      }
      try {
        keys.put(dir, dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY));
      } catch (IOException | ClosedWatchServiceException e) {
        LOG.debug("registering {} for file-system events failed; the poll still runs", dir, e);
      }
    }
  }

  private void run() {
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      Path dir = (Path) key.watchable();
      List<Path> changed = new ArrayList<>();
      boolean overflow = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == OVERFLOW) {
          overflow = true;
        } else {
          changed.add(dir.resolve((Path) event.context()));
        }
      }
      key.reset();
      try {
        onChange.accept(overflow ? null : changed);
      } catch (RuntimeException e) {
        LOG.error("handling file-system events under {} failed", root, e);
      }
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service failed", e);
      }
    }
  }
}
