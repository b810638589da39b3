package dev.gatehouse.ratelimit.store;

/**
 * What one hit would do, computed before anything is written; the Lua script computes the same
 * numbers with the same operations, so both stores decide alike to the microsecond.
 */
record Plan(
    boolean allowed,
    long remainingAfter,
    long remainingBefore,
    long resetMicros,
    long retryMicros,
    String writeKey,
    double newValue,
    long ttlMillis) {

  static final long MICROS = 1_000_000L;

  /** Windowed counters read by key; token buckets by key as their theoretical arrival time. */
  interface Cells {
    double get(String key);
  }

  static Plan of(Hit hit, long now, Cells cells) {
    long windowMicros = hit.windowSeconds() * MICROS;
    long windowStart = Math.floorDiv(now, windowMicros) * hit.windowSeconds();
    long sinceStart = now - windowStart * MICROS;
    long reset = windowMicros - sinceStart;
    if (hit.limit() == 0) {
      long wait =
          hit.algorithm() == dev.gatehouse.ratelimit.config.Algorithm.TOKEN_BUCKET
              ? windowMicros
              : reset;
      return new Plan(hit.hits() == 0, 0, 0, reset, wait, null, 0, 0);
    }
    return switch (hit.algorithm()) {
      case FIXED_WINDOW -> fixed(hit, windowStart, reset, cells);
      case SLIDING_WINDOW -> sliding(hit, windowStart, sinceStart, reset, windowMicros, cells);
      case TOKEN_BUCKET -> tokenBucket(hit, now, windowMicros, cells);
    };
  }

  private static Plan fixed(Hit hit, long windowStart, long reset, Cells cells) {
    String key = hit.key() + windowStart;
    double count = cells.get(key);
    double after = count + hit.hits();
    boolean allowed = after <= hit.limit();
    long retry = count + 1 > hit.limit() ? reset : 0;
    return new Plan(
        allowed,
        (long) (hit.limit() - after),
        Math.max(0, (long) (hit.limit() - count)),
        reset,
        retry,
        key,
        after,
        hit.windowSeconds() * 1000);
  }

  private static Plan sliding(
      Hit hit, long windowStart, long sinceStart, long reset, long windowMicros, Cells cells) {
    String key = hit.key() + windowStart;
    double current = cells.get(key);
    double previous = cells.get(hit.key() + (windowStart - hit.windowSeconds()));
    double weight = (double) (windowMicros - sinceStart) / windowMicros;
    double estimate = previous * weight + current;
    double limit = hit.limit();
    boolean allowed = estimate + hit.hits() <= limit;
    long retry = 0;
    if (estimate + 1 > limit) {
      if (current + 1 <= limit && previous > 0) {
        double target = (limit - current - 1) / previous;
        retry = (long) Math.ceil(windowMicros * (1 - target) - sinceStart);
      } else {
        double part = 1 - (limit - 1) / current;
        retry = reset + (long) Math.ceil(part * windowMicros);
      }
    }
    return new Plan(
        allowed,
        (long) Math.floor(limit - estimate - hit.hits()),
        Math.max(0, (long) Math.floor(limit - estimate)),
        reset,
        retry,
        key,
        current + hit.hits(),
        hit.windowSeconds() * 2000);
  }

  private static Plan tokenBucket(Hit hit, long now, long windowMicros, Cells cells) {
    double interval = (double) windowMicros / hit.limit();
    double tolerance = hit.burst() * interval;
    double tat = Math.max(cells.get(hit.key()), now);
    double newTat = Math.floor(tat + hit.hits() * interval);
    double allowAt = newTat - tolerance;
    boolean allowed = allowAt <= now;
    long retry = (long) Math.max(0, Math.ceil(tat + interval - tolerance - now));
    // Admitted: until the bucket is full again; denied: until the next token.
    long reset = allowed ? (long) Math.ceil(newTat - now) : retry;
    return new Plan(
        allowed,
        (long) Math.floor((now - allowAt) / interval),
        Math.max(0, (long) Math.floor((now - (tat - tolerance)) / interval)),
        reset,
        retry,
        hit.key(),
        newTat,
        (long) Math.ceil((newTat - now) / 1000) + 1000);
  }
}
