package dev.gatehouse.proxy.proxy;

import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Header copies with lower-case names: HTTP/2 forbids upper case (a stream sending it is reset with
 * PROTOCOL_ERROR), and HTTP/1.1 does not care, so a proxy between the two writes lower case.
 *
 * <p>Runs twice per proxied request (its headers, the response's), so it avoids allocating: it
 * iterates without entry objects, and the common names, as HTTP/1.1 clients and servers usually
 * capitalize them, map to lower-case constants instead of a new String each time.
 */
final class Headers {
  private Headers() {}

  private static final Map<String, String> COMMON = new HashMap<>();

  static {
    for (String name :
        List.of(
            "accept",
            "accept-encoding",
            "accept-language",
            "accept-ranges",
            "authorization",
            "cache-control",
            "connection",
            "content-encoding",
            "content-language",
            "content-length",
            "content-type",
            "cookie",
            "date",
            "etag",
            "expires",
            "host",
            "if-modified-since",
            "if-none-match",
            "keep-alive",
            "last-modified",
            "location",
            "origin",
            "pragma",
            "referer",
            "server",
            "set-cookie",
            "transfer-encoding",
            "upgrade",
            "user-agent",
            "vary",
            "x-forwarded-for",
            "x-forwarded-proto",
            "x-request-id")) {
      COMMON.put(capitalized(name), name);
    }
    COMMON.put("ETag", "etag");
  }

  /** "content-type" as "Content-Type". */
  private static String capitalized(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean start = true;
    for (char c : name.toCharArray()) {
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == '-';
    }
    return out.toString();
  }

  static MultiMap lowerCased(MultiMap source) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    source.forEach((name, value) -> copy.add(lowerCase(name), value));
    return copy;
  }

  /** The name in lower case (the same String when it already is). */
  static String lowerCase(String name) {
    String known = COMMON.get(name);
    return known != null ? known : name.toLowerCase(Locale.ROOT);
  }
}
