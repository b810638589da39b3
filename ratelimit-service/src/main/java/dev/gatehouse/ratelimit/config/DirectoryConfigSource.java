package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.Source;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.config.watch.ConfigWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads a directory holding envoyproxy/ratelimit files and Edge Stack RateLimit resources, side by
 * side, and reloads it on change. {@link ConfigWatcher} notices changes and loads the resources
 * (keeping the last good version of what breaks); this class reads the envoyproxy files on the
 * watcher's thread and keeps the last good version of each. A file is an envoyproxy file when its
 * first document is a map without {@code apiVersion}.
 */
public final class DirectoryConfigSource implements RateLimitConfigSource {
  private final Path directory;
  private final String ambassadorId;
  private final Duration pollInterval;
  private ConfigWatcher watcher;

  // Only touched on the watcher's thread.
  private final Map<String, EnvoyConfigLoader.FileResult> lastGood = new HashMap<>();
  private long version;

  public DirectoryConfigSource(Path directory, String ambassadorId, Duration pollInterval) {
    this.directory = directory;
    this.ambassadorId = ambassadorId;
    this.pollInterval = pollInterval;
  }

  @Override
  public void start(Consumer<Update> listener) {
    watcher =
        ConfigWatcher.builder(directory, resources -> listener.accept(load(resources)))
            .ambassadorId(ambassadorId)
            // Reads YAML only: another file changing (a log written here) is no reason to load.
            .otherFilesMatter(false)
            .pollInterval(pollInterval)
            .quietPeriod(pollInterval.multipliedBy(2))
            .build();
    watcher.start();
  }

  /** Combines the watcher's resources with the envoyproxy files; runs on the watcher thread. */
  Update load(LoadResult resources) {
    long started = System.nanoTime();
    List<ConfigError> problems = new ArrayList<>();
    List<EnvoyConfigLoader.FileResult> files = new ArrayList<>();
    Set<String> envoyOrigins = new HashSet<>(lastGood.keySet());
    for (Path file : yamlFiles()) {
      String origin =
          Files.isDirectory(directory)
              ? directory.relativize(file).toString()
              : file.getFileName().toString();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException | UncheckedIOException e) {
        continue; // the resource loader reports unreadable files
      }
      boolean envoy =
          EnvoyConfigLoader.firstDocument(text, origin)
              .map(EnvoyConfigLoader::isEnvoyFormat)
              .orElse(lastGood.containsKey(origin));
      if (!envoy) {
        envoyOrigins.remove(origin);
        lastGood.remove(origin);
        continue;
      }
      envoyOrigins.add(origin);
      EnvoyConfigLoader.FileResult result = EnvoyConfigLoader.parse(text, origin);
      problems.addAll(result.problems());
      if (result.ok()) {
        lastGood.put(origin, result);
        files.add(result);
      } else if (lastGood.containsKey(origin)) {
        EnvoyConfigLoader.FileResult kept = lastGood.get(origin);
        problems.add(
            ConfigError.warning(
                Source.of(origin),
                "domain " + kept.domain(),
                "keeping the last good version until its errors are fixed"));
        files.add(kept);
      }
    }
    // Files that are gone take their domains with them.
    lastGood.keySet().removeIf(origin -> files.stream().noneMatch(f -> f.origin().equals(origin)));
    // The resource loader reads envoyproxy files as objects without apiVersion: not its problems.
    resources.problems().stream()
        .filter(p -> !envoyOrigins.contains(p.source().origin()))
        .forEach(problems::add);

    ConfigAssembler assembler = new ConfigAssembler();
    files.forEach(assembler::add);
    for (Resource<RateLimit> resource : resources.ofKind(Kind.RATE_LIMIT, RateLimit.class)) {
      assembler.add(resource);
    }
    problems.addAll(assembler.problems());
    RateLimitConfig config = assembler.build(++version);
    Update update = new Update(config, problems);
    LoadLog.log(
        update, "dir=" + directory + " envoy_files=" + files.size(), System.nanoTime() - started);
    return update;
  }

  private List<Path> yamlFiles() {
    if (Files.isRegularFile(directory)) {
      return List.of(directory);
    }
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(p -> !hidden(directory.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
