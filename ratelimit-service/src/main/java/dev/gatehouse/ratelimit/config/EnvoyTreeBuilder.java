package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a bound envoyproxy/ratelimit file into a descriptor tree, checking what the binder cannot:
 * empty keys, duplicate composite keys, units on unlimited limits, self-replacement, misplaced
 * extensions. Each error is placed at the line of its field.
 */
final class EnvoyTreeBuilder {

  private final String origin;
  private final String label;
  private final Map<String, Integer> lines;
  private final int fileLine;
  private final List<ConfigError> problems;

  EnvoyTreeBuilder(
      String origin,
      String label,
      Map<String, Integer> lines,
      int fileLine,
      List<ConfigError> problems) {
    this.origin = origin;
    this.label = label;
    this.lines = lines;
    this.fileLine = fileLine;
    this.problems = problems;
  }

  void level(NodeDraft parent, List<EnvoyYaml.Descriptor> descriptors, String path) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < descriptors.size(); i++) {
      EnvoyYaml.Descriptor descriptor = descriptors.get(i);
      String at = path + "[" + i + "]";
      if (descriptor.key().isEmpty()) {
        error(at + ".key", "\"\" (expected: a descriptor key)");
        continue;
      }
      String composite = NodeDraft.compositeKey(descriptor.key(), descriptor.value());
      Integer first = seen.putIfAbsent(composite, line(at));
      if (first != null) {
        error(
            at,
            "duplicate composite key \""
                + composite
                + "\" (expected: each key and value once per level, first at line "
                + first
                + ")");
        continue;
      }
      NodeDraft node = parent.child(composite);
      node.detailedMetric = descriptor.detailedMetric();
      List<EnvoyYaml.RateLimit> limits = new ArrayList<>();
      List<String> limitPaths = new ArrayList<>();
      if (descriptor.rateLimit() != null) {
        limits.add(descriptor.rateLimit());
        limitPaths.add(at + ".rate_limit");
      }
      for (int j = 0; j < descriptor.rateLimits().size(); j++) {
        limits.add(descriptor.rateLimits().get(j));
        limitPaths.add(at + ".rate_limits[" + j + "]");
      }
      for (int j = 0; j < limits.size(); j++) {
        limit(node, limits.get(j), limitPaths.get(j), descriptor.shadowMode());
      }
      level(node, descriptor.descriptors(), at + ".descriptors");
    }
  }

  private void limit(NodeDraft node, EnvoyYaml.RateLimit limit, String at, boolean shadow) {
    String name = limit.name() == null ? "" : limit.name();
    List<String> replaces = new ArrayList<>();
    for (int k = 0; k < limit.replaces().size(); k++) {
      String replaced = limit.replaces().get(k).name();
      String field = at + ".replaces[" + k + "].name";
      if (replaced == null || replaced.isEmpty()) {
        error(field, "\"\" (expected: the name of the limit to replace)");
      } else if (replaced.equals(name)) {
        error(
            field,
            "\"" + replaced + "\" (expected: another limit's name; a limit cannot replace itself)");
      } else {
        replaces.add(replaced);
      }
    }
    if (limit.unlimited()) {
      if (limit.unit() != null) {
        error(
            at + ".unit",
            limit.unit().name().toLowerCase(Locale.ROOT)
                + " (expected: no unit when unlimited is true)");
      }
      node.unlimited = true;
      return;
    }
    boolean complete = true;
    if (limit.unit() == null) {
      error(at + ".unit", "required field is missing", at);
      complete = false;
    }
    if (limit.requestsPerUnit() == null) {
      error(at + ".requests_per_unit", "required field is missing", at);
      complete = false;
    }
    Algorithm algorithm = limit.algorithm() == null ? Algorithm.FIXED_WINDOW : limit.algorithm();
    if (limit.burst() != null && algorithm != Algorithm.TOKEN_BUCKET) {
      error(at + ".burst", limit.burst() + " (expected: burst only with algorithm: token_bucket)");
      complete = false;
    }
    if (!complete) {
      return;
    }
    long burst = limit.burst() != null ? limit.burst() : Math.max(1, limit.requestsPerUnit());
    node.limits.add(
        new LimitRule(
            name,
            limit.requestsPerUnit(),
            limit.unit(),
            limit.unitMultiplier(),
            algorithm,
            burst,
            shadow,
            "",
            replaces,
            HeaderActions.NONE));
  }

  void error(String path, String message) {
    error(path, message, path);
  }

  /** An error on {@code path}, placed at the line of {@code linePath} (or of its parents). */
  private void error(String path, String message, String linePath) {
    problems.add(
        ConfigError.error(new Source(origin, line(linePath)), label, path + ": " + message));
  }

  private int line(String path) {
    String at = path;
    while (true) {
      Integer line = lines.get(at);
      if (line != null) {
        return line;
      }
      int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
      if (cut <= 0) {
        return fileLine;
      }
      at = at.substring(0, cut);
    }
  }
}
