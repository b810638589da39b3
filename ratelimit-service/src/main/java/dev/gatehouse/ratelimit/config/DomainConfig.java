package dev.gatehouse.ratelimit.config;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import java.util.List;

/**
 * The compiled limits of one domain.
 *
 * @param origins where the domain was configured, for logs
 */
public record DomainConfig(String domain, DescriptorNode root, List<String> origins) {

  public DomainConfig {
    origins = List.copyOf(origins);
  }

  /**
   * The node that limits a request descriptor, or null. As envoyproxy/ratelimit does, the tree is
   * walked entry by entry, and a node's limit counts only when it matched the descriptor's last
   * entry; the walk stops where the tree has no deeper level.
   */
  public Match match(List<RateLimitDescriptor.Entry> entries) {
    DescriptorNode level = root;
    StringBuilder path = new StringBuilder(domain);
    for (int i = 0; i < entries.size(); i++) {
      RateLimitDescriptor.Entry entry = entries.get(i);
      DescriptorNode next = level.child(entry.getKey(), entry.getValue());
      if (next == null) {
        return null;
      }
      path.append('.').append(next.compositeKey());
      if (i == entries.size() - 1) {
        return next.hasLimit() ? new Match(next, path.toString()) : null;
      }
      if (next.children().isEmpty()) {
        return null;
      }
      level = next;
    }
    return null;
  }

  /**
   * A node that limits a descriptor.
   *
   * @param ruleKey the configured path that matched, e.g. {@code edge.remote_address.path_/api}:
   *     bounded by the configuration, so it can label metrics
   */
  public record Match(DescriptorNode node, String ruleKey) {}
}
