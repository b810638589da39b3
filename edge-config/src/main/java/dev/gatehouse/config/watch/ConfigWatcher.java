package dev.gatehouse.config.watch;

import dev.gatehouse.config.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a configuration directory and hands each new, validated configuration to a listener.
 *
 * <p>Changes are noticed two ways: file-system events ({@link FileEvents}, inotify on Linux) wake
 * the watcher at once, and a scan of the files ({@link Tree}: path, type, size, modification time
 * and inode of each, symlinks followed) every {@code pollInterval} catches what events miss (file
 * systems without them, directories reached through symlinks). A change is loaded once the files
 * have been quiet for {@code quietPeriod}, so a burst of edits makes one configuration.
 *
 * <p>Loading is incremental ({@link ParsedFiles}): only the files whose content changed are parsed
 * again; the checks across files run over the whole set, and the result equals a full load. What a
 * load rejects keeps its last good version (see {@link LastGood}). A change that leaves every
 * file's content as it was (a {@code touch}, an edit undone within the quiet period) calls no
 * listener.
 *
 * <p>The listener runs on the watcher's own thread, one call at a time.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path directory;
  private final Duration pollInterval;
  private final Duration quietPeriod;
  private final Consumer<LoadResult> listener;
  private final ScheduledExecutorService executor;
  private final ParsedFiles files;
  private final boolean fileEvents;
  private final boolean otherFilesMatter;
  // Set by start(); volatile for close() on another thread.
  private volatile FileEvents events = FileEvents.NONE;
  private final AtomicLong reloads = new AtomicLong();

  // Only touched on the executor's thread.
  private Tree seen;
  // An event announced a change that no scan has seen yet: a scan that differs is that change.
  private boolean eventsSinceScan;
  private boolean pending;
  private long lastChange;
  private long firstNoticed;
  private ScheduledFuture<?> wakeUp;
  private LoadResult current;
  private Map<Path, FileStamp> otherFiles = Map.of();

  private ConfigWatcher(Builder builder) {
    this.directory = Objects.requireNonNull(builder.directory, "directory");
    this.pollInterval = builder.pollInterval;
    this.quietPeriod = builder.quietPeriod;
    this.listener = Objects.requireNonNull(builder.listener, "listener");
    this.files = new ParsedFiles(directory, builder.ambassadorId);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "gatehouse-config-watch");
              thread.setDaemon(true);
              return thread;
            });
    this.fileEvents = builder.fileEvents;
    this.otherFilesMatter = builder.otherFilesMatter;
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
    if (fileEvents) {
      events = FileEvents.start(directory, this::onEvents);
    }
    try {
      return executor
          .submit(
              () -> {
                seen = Tree.scan(directory);
                events.watch(seen.directories(directory));
                current = files.load(seen);
                otherFiles = seen.otherFiles(directory);
                listener.accept(current);
                return current;
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + directory, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loading " + directory, e.getCause());
    } finally {
      executor.scheduleWithFixedDelay(
          () -> check(true),
          pollInterval.toMillis(),
          pollInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The configuration most recently handed to the listener. */
  public LoadResult current() {
    return onWatcherThread(() -> current);
  }

  /**
   * How many times a file has been parsed since the start (the first load parses every file; a
   * reload only those whose content changed).
   */
  public long filesParsed() {
    return files.parses();
  }

  /** How many reloads have run after the first load (a reload that changed nothing included). */
  public long reloads() {
    return reloads.get();
  }

  /** Called on the events thread: the named paths changed (every file, when null). */
  private void onEvents(List<Path> changed) {
    try {
      executor.execute(
          () -> {
            files.suspect(changed);
            eventsSinceScan = true;
            noticed(System.nanoTime());
            check(false);
          });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // Closed while the event was on its way.
    }
  }

  private void noticed(long clock) {
    if (!pending) {
      firstNoticed = clock;
    }
    pending = true;
    lastChange = clock;
  }

  /**
   * Scans the files on a poll and when a quiet period may be over; loads once they have been quiet
   * long enough. An event already started the quiet period, so the scan that sees its change does
   * not start it again.
   */
  private void check(boolean poll) {
    try {
      long clock = System.nanoTime();
      Tree scanned = null;
      if (poll || (pending && clock - lastChange >= quietPeriod.toNanos())) {
        scanned = Tree.scan(directory);
        if (!scanned.equals(seen)) {
          seen = scanned;
          if (!eventsSinceScan) {
            noticed(clock);
          }
        }
        eventsSinceScan = false;
      }
      if (!pending) {
        return;
      }
      long quietFor = clock - lastChange;
      if (quietFor < quietPeriod.toNanos() || scanned == null) {
        wakeUpIn(Math.max(1, quietPeriod.toNanos() - quietFor));
        return;
      }
      pending = false;
      reload(scanned);
    } catch (RuntimeException e) {
      // A listener or file-system failure must not stop the watch; the next change retries.
      LOG.error("reloading {} failed", directory, e);
    }
  }

  private void wakeUpIn(long nanos) {
    if (wakeUp != null && !wakeUp.isDone()) {
      if (wakeUp.getDelay(TimeUnit.NANOSECONDS) <= nanos) {
        return; // an earlier wake-up will check again
      }
      wakeUp.cancel(false);
    }
    // The wake-up forgets itself as it runs: a check that finds the quiet period not over yet
    // (an event came after the one that scheduled it) must schedule the next wake-up, not see
    // itself as one still pending and leave the change to the poll.
    wakeUp =
        executor.schedule(
            () -> {
              wakeUp = null;
              check(false);
            },
            nanos,
            TimeUnit.NANOSECONDS);
  }

  private void reload(Tree tree) {
    reloads.incrementAndGet();
    long started = System.nanoTime();
    long parsedBefore = files.parses();
    events.watch(tree.directories(directory));
    LoadResult next = files.load(tree);
    Map<Path, FileStamp> others = tree.otherFiles(directory);
    boolean othersChanged = otherFilesMatter && !others.equals(otherFiles);
    otherFiles = others;
    if (next == null) {
      if (othersChanged) {
        // A file the listener may read itself (API keys) changed: the same resources again.
        listener.accept(current);
      } else {
        LOG.debug("{}: no file changed its content", directory);
      }
      return;
    }
    current = LastGood.merge(current, next);
    LOG.debug(
        "{}: {} file(s) parsed again, loaded in {} ms, {} ms after the change was noticed",
        directory,
        files.parses() - parsedBefore,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        TimeUnit.NANOSECONDS.toMillis(started - firstNoticed));
    listener.accept(current);
  }

  private <T> T onWatcherThread(java.util.concurrent.Callable<T> task) {
    try {
      return executor.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    events.close();
    executor.shutdownNow();
  }

  /** Options of a watcher. */
  public static final class Builder {
    private final Path directory;
    private final Consumer<LoadResult> listener;
    private String ambassadorId = "default";
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration quietPeriod = Duration.ofMillis(200);
    private boolean fileEvents = true;
    private boolean otherFilesMatter = true;

    private Builder(Path directory, Consumer<LoadResult> listener) {
      this.directory = directory;
      this.listener = listener;
    }

    public Builder ambassadorId(String id) {
      this.ambassadorId = Objects.requireNonNull(id);
      return this;
    }

    /** How often the files are checked when no file-system event arrives (default 100 ms). */
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

    /**
     * Whether file-system events wake the watcher (default true); without them, changes are noticed
     * by the poll only.
     */
    public Builder fileEvents(boolean enabled) {
      this.fileEvents = enabled;
      return this;
    }

    /**
     * Whether a change of a file that is not YAML hands the same configuration to the listener
     * again (default true: ext-authz reads API keys from such files). A listener that reads none
     * turns it off, so that, say, a log written into the directory is not a change.
     */
    public Builder otherFilesMatter(boolean matter) {
      this.otherFilesMatter = matter;
      return this;
    }

    public ConfigWatcher build() {
      return new ConfigWatcher(this);
    }
  }
}
