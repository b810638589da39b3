package dev.gatehouse.proxy.upstream.balancer;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.List;

/**
 * Picks one endpoint among the available ones. Built for one endpoint list and kept until that list
 * changes; {@code hash} is the request's hash-policy value, used only by the hashing policies.
 */
public interface LoadBalancer {
  /** The chosen endpoint; {@code endpoints} is never empty. */
  Endpoint pick(long hash);

  /** The balancer for a policy over a fixed, non-empty list of endpoints. */
  static LoadBalancer create(Policy policy, List<Endpoint> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
    }
    return switch (policy) {
      case ROUND_ROBIN -> new RoundRobin(endpoints);
      case LEAST_REQUEST -> new LeastRequest(endpoints);
      case RING_HASH -> new RingHash(endpoints);
      case MAGLEV -> new Maglev(endpoints, Maglev.TABLE_SIZE);
    };
  }

  /** Envoy's policies that edge-proxy implements. */
  enum Policy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RING_HASH,
    MAGLEV
  }
}
