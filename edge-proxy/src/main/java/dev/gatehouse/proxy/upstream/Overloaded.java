package dev.gatehouse.proxy.upstream;

/**
 * A request refused by a cluster's circuit breaker, answered 503 with {@code x-envoy-overloaded:
 * true} as Envoy does.
 */
public final class Overloaded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Overloaded(String message) {
    super(message, null, false, false);
  }
}
