package dev.gatehouse.ratelimit.limiter;

/** The store failed, took longer than the budget, or is behind an open breaker. */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
