package dev.gatehouse.ratelimit.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A descriptor level while configuration is being assembled; {@link #build()} freezes it. */
final class NodeDraft {
  final String compositeKey;
  final List<LimitRule> limits = new ArrayList<>();
  boolean unlimited;
  boolean detailedMetric;
  final Map<String, NodeDraft> children = new LinkedHashMap<>();

  NodeDraft(String compositeKey) {
    this.compositeKey = compositeKey;
  }

  /** The composite key of a descriptor, as envoyproxy/ratelimit keys its map. */
  static String compositeKey(String key, String value) {
    return value == null || value.isEmpty() ? key : key + "_" + value;
  }

  NodeDraft child(String compositeKey) {
    return children.computeIfAbsent(compositeKey, NodeDraft::new);
  }

  /** Adds another source's tree into this one: limits of the same node add up. */
  void merge(NodeDraft other) {
    limits.addAll(other.limits);
    unlimited |= other.unlimited;
    detailedMetric |= other.detailedMetric;
    other.children.forEach((key, child) -> child(key).merge(child));
  }

  DescriptorNode build() {
    Map<String, DescriptorNode> built = new HashMap<>();
    List<String> wildcards = new ArrayList<>();
    children.forEach(
        (key, child) -> {
          built.put(key, child.build());
          if (key.endsWith("*")) {
            wildcards.add(key);
          }
        });
    return new DescriptorNode(
        compositeKey,
        unlimited ? List.of() : tagged(limits),
        unlimited,
        detailedMetric,
        built,
        wildcards);
  }

  /**
   * Gives each limit its own counter: the first window-counting limit keeps envoyproxy/ratelimit's
   * key, so its counters carry over; the others get a tag naming their algorithm and window.
   */
  private static List<LimitRule> tagged(List<LimitRule> limits) {
    List<LimitRule> out = new ArrayList<>(limits.size());
    boolean plainTaken = false;
    for (LimitRule rule : limits) {
      String tag;
      switch (rule.algorithm()) {
        case TOKEN_BUCKET -> tag = "tb" + rule.windowSeconds() + "_" + rule.requestsPerUnit() + "_";
        case SLIDING_WINDOW, FIXED_WINDOW -> {
          if (!plainTaken) {
            tag = "";
            plainTaken = true;
          } else {
            tag =
                (rule.algorithm() == Algorithm.FIXED_WINDOW ? "fw" : "sw")
                    + rule.windowSeconds()
                    + "_";
          }
        }
        default -> throw new IllegalStateException(rule.algorithm().name());
      }
      out.add(rule.withKeyTag(tag));
    }
    return out;
  }
}
