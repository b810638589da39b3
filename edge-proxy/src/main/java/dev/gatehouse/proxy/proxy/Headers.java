package dev.gatehouse.proxy.proxy;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;

/**
 * Header copies with lower-case names: HTTP/2 forbids upper case (a stream sending it is reset with
 * PROTOCOL_ERROR), and HTTP/1.1 does not care, so a proxy between the two writes lower case.
 */
final class Headers {
  private Headers() {}

  static MultiMap lowerCased(MultiMap source) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : source) {
      copy.add(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    return copy;
  }
}
