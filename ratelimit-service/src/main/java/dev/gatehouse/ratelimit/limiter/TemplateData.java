package dev.gatehouse.ratelimit.limiter;

import com.google.protobuf.Duration;
import dev.gatehouse.config.template.TemplateDuration;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data Edge Stack gives a RateLimit's templates, with its Go field names: {@code
 * .RateLimitResponse.OverallCode} (1 OK, 2 OVER_LIMIT), {@code .RateLimitResponse.Statuses} (per
 * descriptor: {@code Code}, {@code CurrentLimit {Name, RequestsPerUnit, Unit}}, {@code
 * LimitRemaining}, {@code DurationUntilReset}), {@code .RetryAfter} (until every denying limit
 * allows again; 0 when none denies); and for a 429's body and headers also {@code .status_code},
 * {@code .message} and {@code .request_id}.
 */
final class TemplateData {
  static final String MESSAGE = "Too Many Requests";

  private TemplateData() {}

  static Map<String, Object> of(RateLimitResponse.Builder response) {
    List<Object> statuses = new ArrayList<>();
    long retryMicros = 0;
    for (DescriptorStatus status : response.getStatusesList()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("Code", status.getCodeValue());
      if (status.hasCurrentLimit()) {
        // Ordered maps: `| json` writes fields in the order of Go's struct.
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("Name", status.getCurrentLimit().getName());
        limit.put(
            "RequestsPerUnit",
            Integer.toUnsignedLong(status.getCurrentLimit().getRequestsPerUnit()));
        limit.put("Unit", status.getCurrentLimit().getUnit().name());
        s.put("CurrentLimit", limit);
      }
      s.put("LimitRemaining", Integer.toUnsignedLong(status.getLimitRemaining()));
      long micros = micros(status.getDurationUntilReset());
      s.put("DurationUntilReset", TemplateDuration.ofMicros(micros));
      if (status.getCode() == Code.OVER_LIMIT) {
        retryMicros = Math.max(retryMicros, micros);
      }
      statuses.add(s);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("OverallCode", response.getOverallCodeValue());
    answer.put("Statuses", statuses);
    data.put("RateLimitResponse", answer);
    data.put("RetryAfter", TemplateDuration.ofMicros(retryMicros));
    return data;
  }

  /** The data of a 429's body and headers: the answer's, and the status and message. */
  static Map<String, Object> ofDenial(Map<String, Object> answer) {
    Map<String, Object> data = new LinkedHashMap<>(answer);
    data.put("status_code", 429);
    data.put("message", MESSAGE);
    // Envoy does not send its request id to the rate-limit service.
    data.put("request_id", "");
    return data;
  }

  private static long micros(Duration duration) {
    return duration.getSeconds() * 1_000_000 + duration.getNanos() / 1000;
  }
}
