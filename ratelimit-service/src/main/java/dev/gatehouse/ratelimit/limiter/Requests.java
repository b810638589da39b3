package dev.gatehouse.ratelimit.limiter;

import dev.gatehouse.ratelimit.config.LimitRule;
import dev.gatehouse.ratelimit.config.Unit;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;

/** Checks a RateLimitRequest before anything is evaluated: what Envoy never sends is rejected. */
final class Requests {
  /**
   * The most hits one request may add: 2^53, the largest count that Redis's Lua (doubles) and the
   * counters keep exactly. Beyond it a count would be written as {@code 1e+17} and break the key.
   */
  static final long MAX_HITS = 1L << 53;

  private Requests() {}

  static void validate(RateLimitRequest request) {
    if (Integer.toUnsignedLong(request.getHitsAddend()) > MAX_HITS) {
      throw new InvalidRequestException("hits_addend: too large (expected: at most 2^53)");
    }
    if (request.getDomain().isEmpty()) {
      throw new InvalidRequestException("domain: \"\" (expected: not empty)");
    }
    if (request.getDescriptorsCount() == 0) {
      throw new InvalidRequestException("descriptors: [] (expected: at least one descriptor)");
    }
    for (int i = 0; i < request.getDescriptorsCount(); i++) {
      RateLimitDescriptor descriptor = request.getDescriptors(i);
      if (descriptor.getEntriesCount() == 0) {
        throw new InvalidRequestException(
            "descriptors[" + i + "].entries: [] (expected: at least one entry)");
      }
      for (int j = 0; j < descriptor.getEntriesCount(); j++) {
        if (descriptor.getEntries(j).getKey().isEmpty()) {
          throw new InvalidRequestException(
              "descriptors[" + i + "].entries[" + j + "].key: \"\" (expected: not empty)");
        }
      }
      if (descriptor.hasHitsAddend()
          && Long.compareUnsigned(descriptor.getHitsAddend().getValue(), MAX_HITS) > 0) {
        throw new InvalidRequestException(
            "descriptors["
                + i
                + "].hits_addend: "
                + Long.toUnsignedString(descriptor.getHitsAddend().getValue())
                + " (expected: at most 2^53)");
      }
      if (descriptor.hasLimit()) {
        override(descriptor.getLimit(), i);
      }
    }
  }

  /** The fixed-window limit a descriptor asks for itself, as envoyproxy/ratelimit applies it. */
  static LimitRule override(RateLimitDescriptor.RateLimitOverride limit, int index) {
    Unit unit =
        switch (limit.getUnit()) {
          case SECOND -> Unit.SECOND;
          case MINUTE -> Unit.MINUTE;
          case HOUR -> Unit.HOUR;
          case DAY -> Unit.DAY;
          case MONTH -> Unit.MONTH;
          case YEAR -> Unit.YEAR;
          default ->
              throw new InvalidRequestException(
                  "descriptors["
                      + index
                      + "].limit.unit: "
                      + limit.getUnit()
                      + " (expected: SECOND, MINUTE, HOUR, DAY, MONTH or YEAR)");
        };
    return LimitRule.fixed("", Integer.toUnsignedLong(limit.getRequestsPerUnit()), unit);
  }
}
