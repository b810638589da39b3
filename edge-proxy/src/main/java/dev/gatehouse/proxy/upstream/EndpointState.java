package dev.gatehouse.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one endpoint, shared by every request and the health checker: thread-safe
 * without locks, since event loops of every core touch it.
 */
public final class EndpointState {
  /** What active health checking last concluded. */
  public enum Health {
    UNKNOWN,
    HEALTHY,
    UNHEALTHY
  }

  private volatile Health activeHealth = Health.UNKNOWN;
  // Starts in the past: nanoTime values are only comparable by difference, so no sentinel.
  private final AtomicLong ejectedUntilNanos = new AtomicLong(System.nanoTime());
  private final AtomicInteger ejections = new AtomicInteger();
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGatewayErrors = new AtomicInteger();
  private final AtomicInteger activeRequests = new AtomicInteger();

  public Health activeHealth() {
    return activeHealth;
  }

  public void activeHealth(Health health) {
    this.activeHealth = health;
  }

  /** Whether outlier detection has this endpoint out of rotation at {@code nowNanos}. */
  public boolean ejected(long nowNanos) {
    return nowNanos - ejectedUntilNanos.get() < 0;
  }

  /** Ejects until the given time; the ejection count grows the next ejection's length. */
  public void eject(long untilNanos) {
    ejectedUntilNanos.set(untilNanos);
    ejections.incrementAndGet();
    consecutive5xx.set(0);
    consecutiveGatewayErrors.set(0);
  }

  public int ejections() {
    return ejections.get();
  }

  /** Usable: not failed by active health checks and not ejected. */
  public boolean available(long nowNanos) {
    return activeHealth != Health.UNHEALTHY && !ejected(nowNanos);
  }

  public AtomicInteger consecutive5xx() {
    return consecutive5xx;
  }

  public AtomicInteger consecutiveGatewayErrors() {
    return consecutiveGatewayErrors;
  }

  public AtomicInteger activeRequests() {
    return activeRequests;
  }
}
