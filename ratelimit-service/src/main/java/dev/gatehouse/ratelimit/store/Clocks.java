package dev.gatehouse.ratelimit.store;

import java.time.Instant;

/** The wall clock in microseconds, as the stores count time. */
public final class Clocks {
  private Clocks() {}

  /** Microseconds since the epoch, from the system clock. */
  public static long systemMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
