package dev.gatehouse.config.yaml;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What a bind needs to report problems precisely: the file, the resource being bound, the field
 * path so far ({@code spec.retry_policy.num_retries}), and where the problems go.
 */
public final class BindContext {
  private final String origin;
  private final String resource;
  private final List<ConfigError> problems;
  private final StringBuilder path = new StringBuilder();
  private final java.util.Map<String, Integer> lines = new java.util.HashMap<>();
  private int errors;

  public BindContext(String origin, String resource, List<ConfigError> problems) {
    this.origin = origin;
    this.resource = resource;
    this.problems = problems;
  }

  /** The field path at this point of the bind. */
  public String path() {
    return path.toString();
  }

  /** Runs {@code body} with {@code segment} appended to the path: a field name or "[3]". */
  public <T> T at(String segment, java.util.function.Supplier<T> body) {
    int mark = path.length();
    if (mark > 0 && !segment.startsWith("[")) {
      path.append('.');
    }
    path.append(segment);
    try {
      return body.get();
    } finally {
      path.setLength(mark);
    }
  }

  /** Remembers the line of the value at the current path, for errors found after binding. */
  public void mark(Node node) {
    int line = lineOf(node);
    if (line > 0) {
      lines.put(path.toString(), line);
    }
  }

  /** The line of every value bound so far, by path ({@code spec.rules[0].filters[1]}). */
  public java.util.Map<String, Integer> lines() {
    return java.util.Map.copyOf(lines);
  }

  /** Reports an error at the node's line, prefixed with the current path. */
  public void error(Node node, String message) {
    errors++;
    problems.add(ConfigError.error(source(node), resource, prefixed(message)));
  }

  /** Reports a warning at the node's line, prefixed with the current path. */
  public void warn(Node node, String message) {
    problems.add(ConfigError.warning(source(node), resource, prefixed(message)));
  }

  /** How many errors were reported through this context so far. */
  public int errorCount() {
    return errors;
  }

  public Source source(Node node) {
    return new Source(origin, lineOf(node));
  }

  public static int lineOf(Node node) {
    return node == null ? 0 : node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }

  private String prefixed(String message) {
    return path.length() == 0 ? message : path + ": " + message;
  }
}
