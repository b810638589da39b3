package dev.gatehouse.config.watch;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the last good version of what a new load rejected, so that a bad edit never takes a working
 * route, limit or filter away: a rejected resource that loaded before stays as it was, and so do
 * the resources of a file that no longer parses. Resources removed from a file that still parses
 * are gone, as the user meant.
 */
public final class LastGood {
  private LastGood() {}

  /**
   * The resources to serve after {@code next}, given those served before it. Every resource kept
   * from before is announced with a warning next to the errors that caused it.
   */
  public static LoadResult merge(LoadResult previous, LoadResult next) {
    if (next.rejected().isEmpty()) {
      return next; // nothing rejected, so nothing is kept from before
    }
    Map<String, Resource<?>> served = new LinkedHashMap<>();
    next.resources().forEach(r -> served.put(r.id(), r));
    Set<String> rejectedIds =
        next.rejected().stream().map(LoadResult.Rejected::id).collect(Collectors.toSet());
    Set<String> brokenFiles =
        next.rejected().stream()
            .filter(r -> r.kind().equals("file"))
            .map(LoadResult.Rejected::id)
            .collect(Collectors.toSet());
    List<ConfigError> problems = new ArrayList<>(next.problems());
    for (Resource<?> before : previous.resources()) {
      if (served.containsKey(before.id())) {
        continue;
      }
      boolean rejected = rejectedIds.contains(before.id());
      boolean fileBroken = brokenFiles.contains(before.source().origin());
      if (rejected || fileBroken) {
        served.put(before.id(), before);
        problems.add(
            ConfigError.warning(
                before.source(),
                before.id(),
                "keeping the last good version until "
                    + (fileBroken ? "its file parses again" : "its errors are fixed")));
      }
    }
    return new LoadResult(List.copyOf(served.values()), next.rejected(), problems, next.ignored());
  }
}
