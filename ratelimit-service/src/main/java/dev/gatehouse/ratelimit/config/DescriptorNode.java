package dev.gatehouse.ratelimit.config;

import java.util.List;
import java.util.Map;

/**
 * One level of a domain's descriptor tree, compiled: immutable, looked up on the hot path.
 *
 * @param compositeKey {@code key_value} (or {@code key} when no value is given), what
 *     envoyproxy/ratelimit names the node by in its map and its stats
 * @param limits the node's limits; empty when it has none (or is unlimited)
 * @param children the next level by composite key (exact, wildcard {@code key_prefix*}, key only)
 * @param wildcards the composite keys of children whose value ends in {@code *}, in file order
 */
public record DescriptorNode(
    String compositeKey,
    List<LimitRule> limits,
    boolean unlimited,
    boolean detailedMetric,
    Map<String, DescriptorNode> children,
    List<String> wildcards) {

  public DescriptorNode {
    limits = List.copyOf(limits);
    children = Map.copyOf(children);
    wildcards = List.copyOf(wildcards);
  }

  /** Whether a request whose last entry matched here is limited by this node. */
  public boolean hasLimit() {
    return unlimited || !limits.isEmpty();
  }

  /**
   * The child for one request entry, by envoyproxy/ratelimit's rule: the exact {@code key_value},
   * then the first wildcard whose prefix the {@code key_value} starts with, then the bare key.
   */
  DescriptorNode child(String key, String value) {
    String exact = key + "_" + value;
    DescriptorNode next = children.get(exact);
    if (next == null) {
      for (String wildcard : wildcards) {
        if (exact.startsWith(wildcard.substring(0, wildcard.length() - 1))) {
          next = children.get(wildcard);
          break;
        }
      }
    }
    return next != null ? next : children.get(key);
  }
}
