package dev.gatehouse.proxy.filters;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** Asks a global rate-limit service about one request (Envoy's RateLimitService, v3). */
public interface RateLimitClient {

  /**
   * @param descriptors each a list of (key, value) entries, in order
   * @return fails when the service cannot be asked; the caller applies the failure mode
   */
  Future<Decision> shouldRateLimit(
      String domain, List<List<Map.Entry<String, String>>> descriptors);

  /** OVER_LIMIT or not, with headers for the response (and the 429) and for the request. */
  record Decision(
      boolean overLimit,
      List<Map.Entry<String, String>> responseHeaders,
      List<Map.Entry<String, String>> requestHeaders) {}
}
