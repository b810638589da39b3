package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.template.Template;
import java.util.List;
import java.util.Map;

/**
 * What an Edge Stack limit adds to the answer: headers for the upstream request and the response,
 * and the 429's own headers and body, each a compiled template rendered per answer.
 */
public record HeaderActions(
    List<Map.Entry<String, Template>> requestHeaders,
    List<Map.Entry<String, Template>> responseHeaders,
    List<Map.Entry<String, Template>> errorHeaders,
    Template errorBody) {

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
