package dev.gatehouse.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand: the stores read it in microseconds, the local cache in nanos. */
public final class TestClock {
  /** 1,700,000,100 s: a multiple of 60, 300 and 100, so windows start here. */
  public static final long START_SECONDS = 1_700_000_100L;

  private final AtomicLong micros = new AtomicLong(START_SECONDS * 1_000_000L);

  public long micros() {
    return micros.get();
  }

  public long nanos() {
    return micros.get() * 1000;
  }

  public TestClock advance(Duration by) {
    micros.addAndGet(by.toNanos() / 1000);
    return this;
  }

  /** Sets the clock to {@code seconds} (may be fractional) after {@link #START_SECONDS}. */
  public TestClock at(double seconds) {
    micros.set(START_SECONDS * 1_000_000L + Math.round(seconds * 1_000_000));
    return this;
  }
}
