package dev.gatehouse.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One loaded resource: its identity ({@code kind namespace/name}), where it came from, the
 * Kubernetes-style metadata we use, and its validated spec.
 *
 * @param ambassadorIds the {@code spec.ambassador_id} values; {@code ["default"]} when absent
 * @param lines the line of each field of the spec, by path ({@code spec.rules[0].filters[1]})
 */
public record Resource<S extends Record>(
    Kind kind,
    String apiVersion,
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> ambassadorIds,
    Source source,
    Map<String, Integer> lines,
    S spec) {

  public static final String DEFAULT_NAMESPACE = "default";
  public static final String DEFAULT_AMBASSADOR_ID = "default";

  public Resource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
    if (!kind.specType().isInstance(spec)) {
      throw new IllegalArgumentException(
          "spec: "
              + spec.getClass().getSimpleName()
              + " (expected: "
              + kind.specType().getSimpleName()
              + ")");
    }
    labels = Map.copyOf(labels);
    lines = Map.copyOf(lines);
    annotations = Map.copyOf(annotations);
    ambassadorIds =
        ambassadorIds.isEmpty() ? List.of(DEFAULT_AMBASSADOR_ID) : List.copyOf(ambassadorIds);
  }

  /** {@code Kind namespace/name}, the way errors and the diag page name a resource. */
  public String id() {
    return kind.yamlName() + " " + namespace + "/" + name;
  }

  /** Where the value at a field path was written; the resource's own line when unknown. */
  public Source sourceOf(String path) {
    Integer line = lines.get(path);
    return line == null ? source : source.atLine(line);
  }

  /** {@code namespace/name}. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }

  /** Whether an installation with the given ambassador_id serves this resource. */
  public boolean servedBy(String ambassadorId) {
    return ambassadorIds.contains(ambassadorId) || ambassadorIds.contains("_automatic_");
  }

  /** This resource's spec as the given kind's record type. */
  @SuppressWarnings("unchecked")
  public <T extends Record> Resource<T> as(Class<T> type) {
    if (!type.isInstance(spec)) {
      throw new ClassCastException(id() + " is not a " + type.getSimpleName());
    }
    return (Resource<T>) this;
  }
}
