package dev.gatehouse.proxy.routing;

import java.time.Duration;

/**
 * One hash policy of a route, for ring_hash and maglev clusters: hash a header, a cookie (set with
 * this TTL and path when absent and a TTL is given), or the client address.
 */
public sealed interface HashSpec {
  /** Hash the value of a request header. */
  record Header(String name) implements HashSpec {}

  /** Hash a cookie's value. */
  record Cookie(String name, Duration ttl, String path) implements HashSpec {}

  /** Hash the client's address. */
  record SourceIp() implements HashSpec {}
}
