package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.upstream.NoHealthyUpstream;
import dev.gatehouse.proxy.upstream.Overloaded;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;

/** The one mapping from what went wrong to what the client gets, with Envoy's wording. */
final class Failures {
  private Failures() {}

  static final String OVERFLOW =
      "upstream connect error or disconnect/reset before headers. reset reason: overflow";

  static ProxyFailure of(Throwable cause) {
    if (cause instanceof ProxyFailure failure) {
      return failure;
    }
    if (cause instanceof NoHealthyUpstream) {
      return new ProxyFailure(503, "no healthy upstream", null, "UH");
    }
    if (cause instanceof Overloaded || cause instanceof ConnectionPoolTooBusyException) {
      return new ProxyFailure(
          503, OVERFLOW, MultiMap.caseInsensitiveMultiMap().add("x-envoy-overloaded", "true"));
    }
    if (cause instanceof UpstreamTimeout) {
      return new ProxyFailure(504, "upstream request timeout", null, "UT");
    }
    if (isConnectFailure(cause)) {
      return new ProxyFailure(
          503,
          "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
    }
    return new ProxyFailure(
        503,
        "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
  }

  static boolean isConnectFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t.getClass().getSimpleName().contains("ConnectTimeout")) {
        return true;
      }
    }
    return false;
  }

  static boolean isRefusedStream(Throwable cause) {
    return cause instanceof StreamResetException reset && reset.getCode() == 7; // REFUSED_STREAM
  }

  /** The request ran past the route timeout or a try past its per-try timeout. */
  static final class UpstreamTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UpstreamTimeout(String message) {
      super(message, null, false, false);
    }
  }
}
