package dev.gatehouse.ratelimit.limiter;

import dev.gatehouse.ratelimit.admin.RateLimitMetrics;
import dev.gatehouse.ratelimit.store.Hit;
import dev.gatehouse.ratelimit.store.RateLimitStore;
import dev.gatehouse.ratelimit.store.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a time budget on every store call and a breaker in front of the store: after {@code
 * failuresToOpen} failures in a row (errors, or missed budgets while the store has answered nothing
 * for a probe interval) the breaker opens and calls fail at once instead of waiting on a dead
 * Redis; a PING every {@code probeInterval} closes it again when the store answers.
 */
final class StoreGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StoreGuard.class);

  private final Vertx vertx;
  private final RateLimitStore store;
  private final long budgetNanos;
  private final int failuresToOpen;
  private final Duration probeInterval;
  private final RateLimitMetrics metrics;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final AtomicBoolean open = new AtomicBoolean();
  private volatile long probeTimer = -1;
  private volatile long lastAnswer = System.nanoTime();
  // The last failure counted: requests that shared one failed store call all fail with the same
  // exception (the Redis store makes one per call), and that call counts once towards opening the
  // breaker, not once per request.
  private volatile Throwable lastCounted;

  StoreGuard(
      Vertx vertx,
      RateLimitStore store,
      Duration budget,
      int failuresToOpen,
      Duration probeInterval,
      RateLimitMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.budgetNanos = budget.toNanos();
    this.failuresToOpen = failuresToOpen;
    this.probeInterval = probeInterval;
    this.metrics = metrics;
  }

  Future<List<Verdict>> apply(List<Hit> hits) {
    if (open.get()) {
      metrics.breakerRejection();
      return Future.failedFuture(
          new StoreUnavailableException(store.name() + ": breaker open after failures", null));
    }
    long started = System.nanoTime();
    return store
        .apply(hits)
        .timeout(budgetNanos, TimeUnit.NANOSECONDS)
        .transform(
            done -> {
              if (done.succeeded()) {
                metrics.storeCall(System.nanoTime() - started);
                failuresInARow.set(0);
                lastCounted = null;
                lastAnswer = System.nanoTime();
                return Future.succeededFuture(done.result());
              }
              boolean timeout = done.cause() instanceof TimeoutException;
              metrics.storeError(timeout);
              // A missed budget while other calls are answered is a busy Redis (or a busy us),
              // not a dead one: it gets the failure mode but does not open the breaker, which
              // would turn a moment of overload into half a second of failure answers.
              if (!timeout || System.nanoTime() - lastAnswer > probeInterval.toNanos()) {
                if (done.cause() != lastCounted) {
                  lastCounted = done.cause();
                  failed();
                }
              }
              return Future.failedFuture(
                  new StoreUnavailableException(
                      store.name()
                          + (timeout
                              ? ": no answer within " + budgetNanos / 1000 + "us"
                              : ": " + done.cause().getMessage()),
                      done.cause()));
            });
  }

  boolean isOpen() {
    return open.get();
  }

  private void failed() {
    if (failuresInARow.incrementAndGet() >= failuresToOpen && open.compareAndSet(false, true)) {
      LOG.warn(
          "store {} failing: breaker open, probing every {} ms",
          store.name(),
          probeInterval.toMillis());
      metrics.breakerOpen(true);
      probeTimer = vertx.setPeriodic(probeInterval.toMillis(), id -> probe());
    }
  }

  private void probe() {
    store
        .ping()
        .timeout(Math.max(probeInterval.toMillis() / 2, 1), TimeUnit.MILLISECONDS)
        .onSuccess(
            ok -> {
              if (open.compareAndSet(true, false)) {
                vertx.cancelTimer(probeTimer);
                failuresInARow.set(0);
                metrics.breakerOpen(false);
                LOG.info("store {} answers again: breaker closed", store.name());
              }
            });
  }

  void close() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
  }
}
