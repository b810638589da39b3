package dev.gatehouse.authz.grpc;

import dev.gatehouse.authz.AuthzRequest;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads an Envoy {@code CheckRequest} into an {@link AuthzRequest}. */
final class CheckRequests {
  private CheckRequests() {}

  static AuthzRequest toRequest(CheckRequest check) {
    AttributeContext attributes = check.getAttributes();
    AttributeContext.HttpRequest http = attributes.getRequest().getHttp();
    Map<String, String> headers = headers(http);
    String host = http.getHost();
    if (host.isEmpty()) {
      host = headers.getOrDefault(":authority", headers.getOrDefault("host", ""));
    }
    String path = http.getPath();
    if (path.isEmpty()) {
      path = headers.getOrDefault(":path", "/");
    }
    String method = http.getMethod();
    if (method.isEmpty()) {
      method = headers.getOrDefault(":method", "GET");
    }
    String scheme = http.getScheme();
    if (scheme.isEmpty()) {
      scheme = headers.getOrDefault(":scheme", headers.getOrDefault("x-forwarded-proto", "http"));
    }
    String body =
        http.getBody().isEmpty() && !http.getRawBody().isEmpty()
            ? http.getRawBody().toString(StandardCharsets.UTF_8)
            : http.getBody();
    return new AuthzRequest(
        method, scheme, host, path, headers, body, attributes.getContextExtensionsMap());
  }

  /**
   * The headers map, or Envoy's newer {@code header_map} when the map is empty; names lower-cased
   * (Envoy sends them so already), repeated headers joined as Envoy joins them.
   */
  private static Map<String, String> headers(AttributeContext.HttpRequest http) {
    if (http.getHeadersCount() > 0) {
      Map<String, String> sent = http.getHeadersMap();
      boolean lowerCase = true;
      for (String name : sent.keySet()) {
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
          lowerCase = false;
          break;
        }
      }
      if (lowerCase) {
        return sent;
      }
    }
    Map<String, String> out = new HashMap<>();
    http.getHeadersMap().forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, joiner(k)));
    for (HeaderValue header : http.getHeaderMap().getHeadersList()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      String value =
          header.getValue().isEmpty()
              ? header.getRawValue().toString(StandardCharsets.UTF_8)
              : header.getValue();
      out.merge(name, value, joiner(name));
    }
    return out;
  }

  private static java.util.function.BinaryOperator<String> joiner(String name) {
    String separator = name.equalsIgnoreCase("cookie") ? "; " : ",";
    return (a, b) -> a + separator + b;
  }
}
