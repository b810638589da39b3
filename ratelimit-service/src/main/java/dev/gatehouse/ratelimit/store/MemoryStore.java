package dev.gatehouse.ratelimit.store;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counters in this process, for a single instance and the all-in-one mode: the same decisions as
 * the Redis store (the same {@link Plan} arithmetic), without the network. Thread-safe; each
 * request holds the lock for a few map lookups.
 */
public final class MemoryStore implements RateLimitStore {
  private static final int SWEEP_EVERY = 4096;

  private final LongSupplier nowMicros;
  private final Map<String, Cell> cells = new HashMap<>();
  private int untilSweep = SWEEP_EVERY;

  /** A value and when it expires, in the store clock's microseconds. */
  private record Cell(double value, long expiresAt) {}

  /** A store on the given clock (microseconds since the epoch). */
  public MemoryStore(LongSupplier nowMicros) {
    this.nowMicros = nowMicros;
  }

  /** A store on the system clock. */
  public MemoryStore() {
    this(Clocks::systemMicros);
  }

  @Override
  public Future<List<Verdict>> apply(List<Hit> hits) {
    return Future.succeededFuture(applyNow(hits, nowMicros.getAsLong()));
  }

  synchronized List<Verdict> applyNow(List<Hit> hits, long now) {
    sweepSometimes(now);
    Plan.Cells reader =
        key -> {
          Cell cell = cells.get(key);
          return cell == null || cell.expiresAt <= now ? 0 : cell.value;
        };
    List<Plan> plans = new ArrayList<>(hits.size());
    boolean admit = true;
    for (Hit hit : hits) {
      Plan plan = Plan.of(hit, now, reader);
      admit &= plan.allowed() || !hit.enforced();
      plans.add(plan);
    }
    List<Verdict> verdicts = new ArrayList<>(hits.size());
    for (int i = 0; i < plans.size(); i++) {
      Plan plan = plans.get(i);
      if (admit && hits.get(i).hits() > 0 && plan.writeKey() != null) {
        cells.put(plan.writeKey(), new Cell(plan.newValue(), now + plan.ttlMillis() * 1000));
      }
      verdicts.add(
          new Verdict(
              plan.allowed(),
              admit ? plan.remainingAfter() : plan.remainingBefore(),
              plan.resetMicros(),
              plan.retryMicros()));
    }
    return verdicts;
  }

  private void sweepSometimes(long now) {
    if (--untilSweep > 0) {
      return;
    }
    untilSweep = SWEEP_EVERY;
    for (Iterator<Cell> it = cells.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt <= now) {
        it.remove();
      }
    }
  }

  /** How many counters are held, expired ones not yet swept included. */
  public synchronized int size() {
    return cells.size();
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public String name() {
    return "memory";
  }
}
