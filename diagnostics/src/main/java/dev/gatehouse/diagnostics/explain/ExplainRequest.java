package dev.gatehouse.diagnostics.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request to explain: what the proxy would see of it.
 *
 * @param scheme {@code http} (the 8080 listener) or {@code https} (8443, chosen by SNI = host)
 * @param headers in order, names as written
 * @param clientAddress the client address as trusted, for {@code remote_address} descriptors
 */
public record ExplainRequest(
    String method,
    String scheme,
    String host,
    String path,
    List<Map.Entry<String, String>> headers,
    String clientAddress) {

  public static final String DEFAULT_CLIENT = "127.0.0.1";

  public ExplainRequest {
    method = require(method, "method").toUpperCase(Locale.ROOT);
    scheme = scheme == null || scheme.isBlank() ? "http" : scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("scheme: \"" + scheme + "\" (expected: http or https)");
    }
    host = require(host, "host");
    path = require(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" (expected: starting with /)");
    }
    headers = List.copyOf(headers);
    clientAddress =
        clientAddress == null || clientAddress.isBlank() ? DEFAULT_CLIENT : clientAddress;
  }

  /** Parses {@code Name:Value} header arguments, as the query and the command line give them. */
  public static List<Map.Entry<String, String>> headers(List<String> written) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String header : written) {
      int colon = header.indexOf(':', header.startsWith(":") ? 1 : 0);
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "header: \"" + header + "\" (expected: Name:Value, e.g. x-env:prod)");
      }
      out.add(Map.entry(header.substring(0, colon).trim(), header.substring(colon + 1).trim()));
    }
    return out;
  }

  private static String require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + ": missing (expected: a value)");
    }
    return value;
  }
}
