package dev.gatehouse.ratelimit.limiter;

import dev.gatehouse.ratelimit.config.LimitRule;
import dev.gatehouse.ratelimit.config.Unit;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;

/** Checks a RateLimitRequest before anything is evaluated: what Envoy never sends is rejected. */
final class Requests {
  private Requests() {}

  static void validate(RateLimitRequest request) {
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
