package dev.gatehouse.ratelimit.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where counters live. A store evaluates all hits of one request atomically, with one clock: if any
 * enforced hit is denied, none of the hits is counted, so a denial by one limit never consumes
 * another's quota.
 */
public interface RateLimitStore {

  /** Checks and, when all enforced hits pass, counts; one verdict per hit, in order. */
  Future<List<Verdict>> apply(List<Hit> hits);

  /** Succeeds when the store answers, for readiness and for probing it back after failures. */
  Future<Void> ping();

  /**
   * Gets ready to answer quickly (connects, loads scripts); a failure here is not fatal: calls
   * retry what they need.
   */
  default Future<Void> prepare() {
    return ping();
  }

  /** Releases connections. */
  Future<Void> close();

  /** For logs and metrics: {@code memory} or {@code redis}. */
  String name();
}
