package dev.gatehouse.authz;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.watch.ConfigWatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Configuration from a directory of YAML resources, hot-reloaded by {@link ConfigWatcher} with its
 * last-good semantics: a broken edit keeps the previous version of what it broke.
 */
public final class DirectoryConfigSource implements ConfigSource {
  private final Path directory;
  private final String ambassadorId;
  private final Duration pollInterval;
  private ConfigWatcher watcher;

  public DirectoryConfigSource(Path directory, String ambassadorId, Duration pollInterval) {
    this.directory = directory;
    this.ambassadorId = ambassadorId;
    this.pollInterval = pollInterval;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void start(Consumer<LoadResult> listener) {
    watcher =
        ConfigWatcher.builder(directory, listener)
            .ambassadorId(ambassadorId)
            .pollInterval(pollInterval)
            .build();
    watcher.start();
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
