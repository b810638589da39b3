package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a load produced: the resources that passed validation, the ones rejected, and every problem
 * found. Rejected resources are never half-applied.
 *
 * @param ignored objects read but not ours (other API groups, other ambassador_ids)
 */
public record LoadResult(
    List<Resource<?>> resources, List<Rejected> rejected, List<ConfigError> problems, int ignored) {

  /** A resource (or a whole file, when kind is "file") that did not load. */
  public record Rejected(String kind, String id, Source source) {}

  public LoadResult {
    resources = List.copyOf(resources);
    rejected = List.copyOf(rejected);
    problems = List.copyOf(problems);
  }

  public List<ConfigError> errors() {
    return problems.stream().filter(ConfigError::isError).toList();
  }

  public List<ConfigError> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }

  public boolean hasRejections() {
    return !rejected.isEmpty();
  }

  /** The loaded resources of one kind, typed. */
  public <T extends Record> List<Resource<T>> ofKind(Kind kind, Class<T> type) {
    List<Resource<T>> out = new ArrayList<>();
    for (Resource<?> resource : resources) {
      if (resource.kind() == kind) {
        out.add(resource.as(type));
      }
    }
    return out;
  }

  /**
   * One line for humans: {@code loaded 7 resources (3 Mapping, 1 Host); rejected 2 (1 Mapping, 1
   * file); 1 warning}.
   */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append("loaded ")
        .append(resources.size())
        .append(resources.size() == 1 ? " resource" : " resources");
    // Counted per kind first: a log line per reload must not sort 10,000 names.
    long[] perKind = new long[Kind.values().length];
    for (Resource<?> resource : resources) {
      perKind[resource.kind().ordinal()]++;
    }
    Map<String, Long> loadedByKind = new TreeMap<>();
    for (Kind kind : Kind.values()) {
      if (perKind[kind.ordinal()] > 0) {
        loadedByKind.put(kind.yamlName(), perKind[kind.ordinal()]);
      }
    }
    if (!loadedByKind.isEmpty()) {
      out.append(" (").append(counts(loadedByKind)).append(')');
    }
    out.append("; rejected ").append(rejected.size());
    Map<String, Long> rejectedByKind =
        rejected.stream()
            .collect(Collectors.groupingBy(Rejected::kind, TreeMap::new, Collectors.counting()));
    if (!rejectedByKind.isEmpty()) {
      out.append(" (").append(counts(rejectedByKind)).append(')');
    }
    long warnings = problems.stream().filter(p -> !p.isError()).count();
    if (warnings > 0) {
      out.append("; ").append(warnings).append(warnings == 1 ? " warning" : " warnings");
    }
    if (ignored > 0) {
      out.append("; ignored ").append(ignored).append(" objects not for Gatehouse");
    }
    return out.toString();
  }

  private static String counts(Map<String, Long> byKind) {
    return byKind.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }
}
