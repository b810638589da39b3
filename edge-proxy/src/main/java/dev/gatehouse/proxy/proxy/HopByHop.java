package dev.gatehouse.proxy.proxy;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;

/**
 * Headers that belong to one connection and must not be forwarded (RFC 9110 section 7.6.1), plus
 * any header the Connection header names.
 */
final class HopByHop {
  private static final List<String> NAMES =
      List.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "te",
          "trailer",
          "proxy-authenticate",
          "proxy-authorization");

  private HopByHop() {}

  /** Removes hop-by-hop headers; {@code keepUpgrade} keeps Connection: upgrade and Upgrade. */
  static void strip(MultiMap headers, boolean keepUpgrade) {
    for (String listed : headers.getAll("connection")) {
      for (String name : listed.split(",")) {
        String trimmed = name.strip().toLowerCase(Locale.ROOT);
        if (!trimmed.isEmpty() && !(keepUpgrade && trimmed.equals("upgrade"))) {
          headers.remove(trimmed);
        }
      }
    }
    String te = headers.get("te");
    for (String name : NAMES) {
      if (keepUpgrade && (name.equals("upgrade") || name.equals("connection"))) {
        continue;
      }
      headers.remove(name);
    }
    if (te != null && te.toLowerCase(Locale.ROOT).contains("trailers")) {
      headers.set("te", "trailers"); // gRPC needs it, and it is the one TE value that may pass
    }
  }
}
