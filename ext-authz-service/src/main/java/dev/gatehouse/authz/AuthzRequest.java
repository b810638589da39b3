package dev.gatehouse.authz;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The request being authorized, as Envoy describes it in a CheckRequest: method, scheme, host, the
 * path with its query (as sent, not decoded), lower-case headers, the optional body and the route's
 * context extensions. Immutable; filters that add headers make a copy with {@link #withHeaders}.
 */
public record AuthzRequest(
    String method,
    String scheme,
    String host,
    String path,
    Map<String, String> headers,
    String body,
    Map<String, String> contextExtensions) {

  public AuthzRequest {
    Objects.requireNonNull(method, "method");
    scheme = scheme == null || scheme.isEmpty() ? "http" : scheme.toLowerCase(Locale.ROOT);
    host = host == null ? "" : host.toLowerCase(Locale.ROOT);
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    body = body == null ? "" : body;
    contextExtensions = Map.copyOf(contextExtensions);
  }

  /** The value of a header (name in any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The path without its query. */
  public String pathOnly() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** The host without a port. */
  public String hostname() {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** {@code scheme://host}, the origin the browser sees. */
  public String origin() {
    return scheme + "://" + host;
  }

  /** The same request as seen after earlier filters set or removed headers. */
  public AuthzRequest withHeaders(Map<String, String> newHeaders) {
    return new AuthzRequest(method, scheme, host, path, newHeaders, body, contextExtensions);
  }
}
