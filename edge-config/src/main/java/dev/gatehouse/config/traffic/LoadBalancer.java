package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import java.time.Duration;

/**
 * How to pick an endpoint. Session affinity ({@code cookie}, {@code header}, {@code source_ip}) is
 * only for the hashing policies, and only one of them at a time.
 */
@SnakeCase
public record LoadBalancer(
    @Required Policy policy, Cookie cookie, String header, Boolean sourceIp) {

  /** Envoy's load-balancing policies that Emissary exposes. */
  public enum Policy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RING_HASH,
    MAGLEV
  }

  /** Affinity by a cookie; Envoy sets it with this path and TTL when the client has none. */
  public record Cookie(@Required String name, String path, Duration ttl) {}

  public LoadBalancer {
    int affinities =
        (cookie != null ? 1 : 0)
            + (header != null ? 1 : 0)
            + (Boolean.TRUE.equals(sourceIp) ? 1 : 0);
    boolean hashing = policy == Policy.RING_HASH || policy == Policy.MAGLEV;
    if (affinities > 0 && !hashing) {
      throw new FieldException(
          "policy",
          "\""
              + policy.name().toLowerCase(java.util.Locale.ROOT)
              + "\" (expected: ring_hash or maglev when cookie, header or source_ip is set)");
    }
    if (affinities > 1) {
      throw new FieldException(
          "policy", "cookie, header and source_ip given together (expected: at most one of them)");
    }
  }
}
