package dev.gatehouse.ratelimit.config;

import java.util.List;
import java.util.Map;

/**
 * What an Edge Stack limit adds to the answer: headers for the upstream request and the response,
 * and the 429's own headers and body. Values are sent as written (templates are not rendered).
 */
public record HeaderActions(
    List<Map.Entry<String, String>> requestHeaders,
    List<Map.Entry<String, String>> responseHeaders,
    List<Map.Entry<String, String>> errorHeaders,
    String errorBody) {

  public static final HeaderActions NONE = new HeaderActions(List.of(), List.of(), List.of(), null);

  public HeaderActions {
    requestHeaders = List.copyOf(requestHeaders);
    responseHeaders = List.copyOf(responseHeaders);
    errorHeaders = List.copyOf(errorHeaders);
  }

  public boolean isEmpty() {
    return requestHeaders.isEmpty()
        && responseHeaders.isEmpty()
        && errorHeaders.isEmpty()
        && errorBody == null;
  }
}
