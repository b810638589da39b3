package dev.gatehouse.proxy.proxy;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;

/**
 * X-Forwarded-For, X-Forwarded-Proto and x-request-id, as Envoy's HTTP connection manager sets
 * them: with use_remote_address the client is the peer, else the address xff_num_trusted_hops back
 * from the end of X-Forwarded-For.
 */
final class Forwarding {
  private Forwarding() {}

  /** The client address to trust for this request. */
  static String clientAddress(MultiMap headers, String peer, ListenerSettings listener) {
    if (listener.useRemoteAddress() && listener.xffNumTrustedHops() == 0) {
      return peer;
    }
    List<String> hops = xff(headers);
    if (listener.useRemoteAddress()) {
      hops = new java.util.ArrayList<>(hops);
      hops.add(peer);
    }
    int index = hops.size() - 1 - listener.xffNumTrustedHops();
    if (index < 0 || hops.isEmpty()) {
      return hops.isEmpty() ? peer : hops.get(0);
    }
    return hops.get(index);
  }

  /**
   * Appends the peer to X-Forwarded-For and sets X-Forwarded-Proto, when the edge is the first hop
   * we trust.
   */
  static void apply(MultiMap headers, String peer, boolean tls, ListenerSettings listener) {
    if (listener.useRemoteAddress()) {
      // At the edge, x-envoy-* headers are the proxy's to set: a client's could pose as ours
      // (x-envoy-auth-failure-mode-allowed, x-envoy-original-path) to the upstream, as Envoy
      // guards against by removing them from external requests.
      List<String> internal = new java.util.ArrayList<>();
      for (String name : headers.names()) {
        if (name.regionMatches(true, 0, "x-envoy-", 0, 8)) {
          internal.add(name);
        }
      }
      internal.forEach(headers::remove);
      String existing = headers.get("x-forwarded-for");
      headers.set(
          "x-forwarded-for",
          existing == null || existing.isBlank() ? peer : existing + ", " + peer);
      if (listener.xffNumTrustedHops() == 0 || isBlank(headers, "x-forwarded-proto")) {
        headers.set("x-forwarded-proto", tls ? "https" : "http");
      }
    } else if (isBlank(headers, "x-forwarded-proto")) {
      headers.set("x-forwarded-proto", tls ? "https" : "http");
    }
    if (!listener.preserveRequestId() || isBlank(headers, "x-request-id")) {
      headers.set("x-request-id", requestId());
    }
  }

  /**
   * Absent or empty: an empty X-Forwarded-Proto or x-request-id names no scheme and no request, so
   * the edge sets its own rather than forwarding a blank one (found by RequestChecksFuzzTest).
   */
  private static boolean isBlank(MultiMap headers, String name) {
    String value = headers.get(name);
    return value == null || value.isBlank();
  }

  /**
   * A version-4 UUID from ThreadLocalRandom: request ids need to be unique, not unguessable, and
   * UUID.randomUUID's shared SecureRandom is a lock every event loop would queue on.
   */
  static String requestId() {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }

  private static List<String> xff(MultiMap headers) {
    List<String> out = new java.util.ArrayList<>();
    for (String value : headers.getAll("x-forwarded-for")) {
      for (String part : value.split(",")) {
        String hop = part.strip().toLowerCase(Locale.ROOT);
        if (!hop.isEmpty()) {
          out.add(hop);
        }
      }
    }
    return out;
  }
}
