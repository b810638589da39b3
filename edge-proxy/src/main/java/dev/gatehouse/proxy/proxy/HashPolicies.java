package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.HashSpec;
import dev.gatehouse.proxy.upstream.balancer.Hashing;
import io.vertx.core.http.Cookie;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request hash for ring_hash and maglev, from the route's hash policies in order, combined as
 * Envoy combines them; a request none of them applies to gets a random hash.
 */
final class HashPolicies {
  private HashPolicies() {}

  static long hash(List<HashSpec> policies, Exchange exchange) {
    Long combined = null;
    for (HashSpec policy : policies) {
      String value = null;
      if (policy instanceof HashSpec.Header header) {
        value = exchange.headers.get(header.name());
      } else if (policy instanceof HashSpec.Cookie cookie) {
        Cookie found = exchange.request.getCookie(cookie.name());
        value = found == null ? null : found.getValue();
      } else if (policy instanceof HashSpec.SourceIp) {
        value = exchange.clientAddress;
      }
      if (value != null) {
        long hash = Hashing.hash(value);
        combined = combined == null ? hash : Long.rotateLeft(combined, 1) ^ hash;
      }
    }
    return combined != null ? combined : ThreadLocalRandom.current().nextLong();
  }
}
