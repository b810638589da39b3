package dev.gatehouse.ratelimit.limiter;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.gatehouse.ratelimit.config.LimitRule;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import java.util.Map;

/** Builds the parts of a RateLimitResponse, the same way whichever path decided it. */
final class Responses {
  static final int MAX_UINT32 = -1; // 4294967295 as a proto uint32, envoyproxy's "unlimited"

  private Responses() {}

  static DescriptorStatus status(Code code, LimitRule rule, long remaining, long resetMicros) {
    return DescriptorStatus.newBuilder()
        .setCode(code)
        .setCurrentLimit(limit(rule))
        .setLimitRemaining((int) Math.min(Math.max(remaining, 0), 0xFFFF_FFFFL))
        .setDurationUntilReset(duration(resetMicros))
        .build();
  }

  static final DescriptorStatus OK = DescriptorStatus.newBuilder().setCode(Code.OK).build();

  static final DescriptorStatus UNLIMITED =
      DescriptorStatus.newBuilder().setCode(Code.OK).setLimitRemaining(MAX_UINT32).build();

  static RateLimitResponse.RateLimit limit(LimitRule rule) {
    return RateLimitResponse.RateLimit.newBuilder()
        .setName(rule.name())
        .setRequestsPerUnit((int) rule.requestsPerUnit())
        .setUnit(rule.unit().toProto())
        .build();
  }

  static Duration duration(long micros) {
    long clamped = Math.max(0, micros);
    return Duration.newBuilder()
        .setSeconds(clamped / 1_000_000)
        .setNanos((int) (clamped % 1_000_000) * 1000)
        .build();
  }

  /** Until the end of the rule's current window by the local clock, when the store cannot say. */
  static long localReset(LimitRule rule) {
    long window = rule.windowSeconds() * 1_000_000;
    return window - Math.floorMod(dev.gatehouse.ratelimit.store.Clocks.systemMicros(), window);
  }

  /**
   * Adds RateLimit-Limit, -Remaining and -Reset (seconds, rounded up) from the status closest to
   * its limit, as envoyproxy/ratelimit does when its headers are on.
   */
  static void addRateLimitHeaders(RateLimitResponse.Builder response) {
    DescriptorStatus closest = null;
    for (DescriptorStatus status : response.getStatusesList()) {
      if (status.hasCurrentLimit()
          && (closest == null
              || Integer.toUnsignedLong(status.getLimitRemaining())
                  < Integer.toUnsignedLong(closest.getLimitRemaining()))) {
        closest = status;
      }
    }
    if (closest == null) {
      return;
    }
    Duration reset = closest.getDurationUntilReset();
    long seconds = reset.getSeconds() + (reset.getNanos() > 0 ? 1 : 0);
    header(
        response,
        "RateLimit-Limit",
        Integer.toUnsignedString(closest.getCurrentLimit().getRequestsPerUnit()));
    header(response, "RateLimit-Remaining", Integer.toUnsignedString(closest.getLimitRemaining()));
    header(response, "RateLimit-Reset", Long.toString(seconds));
  }

  /** An Edge Stack limit's headers, and its 429 headers and body when it denied. */
  static void addHeaderActions(RateLimitResponse.Builder response, LimitRule rule, boolean denied) {
    if (rule.headers().isEmpty()) {
      return;
    }
    for (Map.Entry<String, String> h : rule.headers().requestHeaders()) {
      response.addRequestHeadersToAdd(
          HeaderValue.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    for (Map.Entry<String, String> h : rule.headers().responseHeaders()) {
      header(response, h.getKey(), h.getValue());
    }
    if (denied) {
      for (Map.Entry<String, String> h : rule.headers().errorHeaders()) {
        header(response, h.getKey(), h.getValue());
      }
      if (rule.headers().errorBody() != null) {
        response.setRawBody(ByteString.copyFromUtf8(rule.headers().errorBody()));
      }
    }
  }

  private static void header(RateLimitResponse.Builder response, String key, String value) {
    response.addResponseHeadersToAdd(HeaderValue.newBuilder().setKey(key).setValue(value));
  }
}
