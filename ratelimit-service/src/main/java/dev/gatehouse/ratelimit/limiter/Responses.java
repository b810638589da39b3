package dev.gatehouse.ratelimit.limiter;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.gatehouse.config.template.Template;
import dev.gatehouse.ratelimit.config.HeaderActions;
import dev.gatehouse.ratelimit.config.LimitRule;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import java.util.List;
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

  /** An Edge Stack limit whose headers go on the answer; {@code denied}: its 429's too. */
  record Pending(LimitRule rule, boolean denied) {}

  /**
   * Renders the pending limits' templates over the finished answer (its overall code included) and
   * adds their headers, and the 429's headers and body of those that denied.
   */
  static void addHeaderActions(RateLimitResponse.Builder response, List<Pending> pending) {
    if (pending == null) {
      return;
    }
    Map<String, Object> data = TemplateData.of(response);
    Map<String, Object> denial = null;
    for (Pending p : pending) {
      HeaderActions actions = p.rule().headers();
      for (Map.Entry<String, Template> h : actions.requestHeaders()) {
        response.addRequestHeadersToAdd(
            HeaderValue.newBuilder()
                .setKey(h.getKey())
                .setValue(h.getValue().renderHeaderValue(data)));
      }
      for (Map.Entry<String, Template> h : actions.responseHeaders()) {
        header(response, h.getKey(), h.getValue().renderHeaderValue(data));
      }
      if (p.denied()) {
        denial = denial == null ? TemplateData.ofDenial(data) : denial;
        for (Map.Entry<String, Template> h : actions.errorHeaders()) {
          header(response, h.getKey(), h.getValue().renderHeaderValue(denial));
        }
        if (actions.errorBody() != null) {
          response.setRawBody(ByteString.copyFromUtf8(actions.errorBody().render(denial)));
        }
      }
    }
  }

  /** Adds {@code rule} to {@code pending} (created on first use) when it has headers. */
  static List<Pending> pend(List<Pending> pending, LimitRule rule, boolean denied) {
    if (rule.headers().isEmpty()) {
      return pending;
    }
    List<Pending> list = pending == null ? new java.util.ArrayList<>(2) : pending;
    list.add(new Pending(rule, denied));
    return list;
  }

  private static void header(RateLimitResponse.Builder response, String key, String value) {
    response.addResponseHeadersToAdd(HeaderValue.newBuilder().setKey(key).setValue(value));
  }
}
