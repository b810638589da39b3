package dev.gatehouse.ratelimit.limiter;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters known to be over their limit, and until when (by this process's monotonic clock): a
 * request that would count against one is denied without asking the store, so a hot abuser costs no
 * round trip. Bounded: when full, expired entries are dropped, and if none are, nothing new is
 * remembered until they expire.
 */
final class OverLimitCache {
  private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();
  private final int maxEntries;

  OverLimitCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Whether {@code key} is over its limit at {@code nowNanos}; nanos left, or 0. */
  long remainingNanos(String key, long nowNanos) {
    Long end = until.get(key);
    if (end == null) {
      return 0;
    }
    long left = end - nowNanos;
    if (left <= 0) {
      until.remove(key, end);
      return 0;
    }
    return left;
  }

  void remember(String key, long endNanos, long nowNanos) {
    if (maxEntries <= 0) {
      return;
    }
    if (until.size() >= maxEntries) {
      until.values().removeIf(end -> end - nowNanos <= 0);
      if (until.size() >= maxEntries) {
        return;
      }
    }
    until.put(key, endNanos);
  }
}
