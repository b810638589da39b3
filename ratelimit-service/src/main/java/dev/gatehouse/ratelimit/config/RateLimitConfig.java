package dev.gatehouse.ratelimit.config;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the service enforces, compiled and immutable: the hot path reads one instance, and a
 * reload swaps in a new one atomically, so a call in flight finishes with the version it started.
 *
 * @param version increases with each load, for logs and metrics
 */
public record RateLimitConfig(long version, Map<String, DomainConfig> domains) {

  public static final RateLimitConfig EMPTY = new RateLimitConfig(0, Map.of());

  public RateLimitConfig {
    domains = Map.copyOf(domains);
  }

  /** The domain's limits, or null when the domain is not configured (such requests pass). */
  public DomainConfig domain(String name) {
    return domains.get(Objects.requireNonNull(name));
  }

  /** The number of limits over all domains, for the load log line. */
  public int limitCount() {
    int[] count = {0};
    domains.values().forEach(d -> count[0] += count(d.root()));
    return count[0];
  }

  private static int count(DescriptorNode node) {
    int total = node.limits().size() + (node.unlimited() ? 1 : 0);
    for (DescriptorNode child : node.children().values()) {
      total += count(child);
    }
    return total;
  }
}
