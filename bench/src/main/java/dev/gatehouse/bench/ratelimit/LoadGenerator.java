package dev.gatehouse.bench.ratelimit;

/** A ShouldRateLimit load generator of this benchmark: a closed loop and an open loop. */
interface LoadGenerator extends AutoCloseable {
  /** Keeps {@code concurrency} calls in flight for {@code seconds}. */
  RlsLoad.Result closedLoop(int concurrency, int seconds) throws Exception;

  /** Starts {@code rate} calls per second for {@code seconds}, timed from their schedule. */
  RlsLoad.Result openLoop(int rate, int seconds) throws Exception;
}
