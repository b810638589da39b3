package dev.gatehouse.config.watch;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a configuration directory and hands each new, validated configuration to a listener.
 *
 * <p>It polls a fingerprint of the files (path, size, modification time, following symlinks) rather
 * than using file-system events: polling sees a Kubernetes ConfigMap's symlink swap, works on every
 * file system, and costs a few stat calls per interval. A change is loaded once the files have been
 * quiet for {@code quietPeriod}, so a burst of edits makes one configuration; by default a change
 * is applied within half a second. What a load rejects keeps its last good version (see {@link
 * LastGood}).
 *
 * <p>The listener runs on the watcher's own thread, one call at a time.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path directory;
  private final String ambassadorId;
  private final Duration pollInterval;
  private final Duration quietPeriod;
  private final Consumer<LoadResult> listener;
  private final ScheduledExecutorService executor;

  // Only touched on the executor's thread.
  private List<String> applied;
  private List<String> pending;
  private long pendingSince;
  private LoadResult current;

  private ConfigWatcher(Builder builder) {
    this.directory = Objects.requireNonNull(builder.directory, "directory");
    this.ambassadorId = builder.ambassadorId;
    this.pollInterval = builder.pollInterval;
    this.quietPeriod = builder.quietPeriod;
    this.listener = Objects.requireNonNull(builder.listener, "listener");
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "gatehouse-config-watch");
              thread.setDaemon(true);
              return thread;
            });
  }

  public static Builder builder(Path directory, Consumer<LoadResult> listener) {
    return new Builder(directory, listener);
  }

  /**
   * Loads the directory once, synchronously, hands the result to the listener, then watches.
   *
   * @return the first configuration
   */
  public LoadResult start() {
    try {
      return executor
          .submit(
              () -> {
                applied = fingerprint();
                current = new ResourceLoader(ambassadorId).add(directory).result();
                listener.accept(current);
                return current;
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + directory, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("loading " + directory, e.getCause());
    } finally {
      executor.scheduleWithFixedDelay(
          this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The configuration most recently handed to the listener. */
  public LoadResult current() {
    try {
      return executor.submit(() -> current).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void poll() {
    try {
      List<String> now = fingerprint();
      long clock = System.nanoTime();
      if (now.equals(applied)) {
        pending = null;
        return;
      }
      if (!now.equals(pending)) {
        pending = now;
        pendingSince = clock;
        return;
      }
      if (clock - pendingSince < quietPeriod.toNanos()) {
        return;
      }
      applied = now;
      pending = null;
      LoadResult next = new ResourceLoader(ambassadorId).add(directory).result();
      current = LastGood.merge(current, next);
      listener.accept(current);
    } catch (RuntimeException e) {
      // A listener or file-system failure must not stop the watch; the next change retries.
      LOG.error("reloading {} failed", directory, e);
    }
  }

  private List<String> fingerprint() {
    if (!Files.isDirectory(directory)) {
      return List.of("missing");
    }
    try (Stream<Path> walk = Files.walk(directory, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(p -> !p.equals(directory))
          .sorted()
          .map(
              p -> {
                try {
                  return p
                      + "|"
                      + Files.size(p)
                      + "|"
                      + Files.getLastModifiedTime(p, new LinkOption[0]).toMillis();
                } catch (IOException e) {
                  return p + "|gone";
                }
              })
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of("unreadable: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Options of a watcher. */
  public static final class Builder {
    private final Path directory;
    private final Consumer<LoadResult> listener;
    private String ambassadorId = "default";
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration quietPeriod = Duration.ofMillis(200);

    private Builder(Path directory, Consumer<LoadResult> listener) {
      this.directory = directory;
      this.listener = listener;
    }

    public Builder ambassadorId(String id) {
      this.ambassadorId = Objects.requireNonNull(id);
      return this;
    }

    /** How often the files are checked (default 100 ms). */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval: " + interval + " (expected: > 0)");
      }
      this.pollInterval = interval;
      return this;
    }

    /** How long the files must stay unchanged before a load (default 200 ms). */
    public Builder quietPeriod(Duration quiet) {
      if (quiet.isNegative()) {
        throw new IllegalArgumentException("quietPeriod: " + quiet + " (expected: >= 0)");
      }
      this.quietPeriod = quiet;
      return this;
    }

    public ConfigWatcher build() {
      return new ConfigWatcher(this);
    }
  }
}
