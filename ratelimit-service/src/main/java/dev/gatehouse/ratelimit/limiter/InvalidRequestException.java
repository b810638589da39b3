package dev.gatehouse.ratelimit.limiter;

/**
 * A request the service cannot evaluate; the message names the field, the value, the expectation.
 */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
