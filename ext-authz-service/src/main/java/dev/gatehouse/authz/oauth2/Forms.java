package dev.gatehouse.authz.oauth2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads {@code application/x-www-form-urlencoded} text: a query string or a form body. */
final class Forms {
  private Forms() {}

  /** The first value of each name. */
  static Map<String, String> parse(String text) {
    Map<String, String> out = new HashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformed) {
        // a malformed pair is ignored, as if absent
      }
    }
    return out;
  }

  /** The query of a path, or the empty string. */
  static String query(String path) {
    int q = path.indexOf('?');
    return q < 0 ? "" : path.substring(q + 1);
  }
}
