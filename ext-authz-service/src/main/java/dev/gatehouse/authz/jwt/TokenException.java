package dev.gatehouse.authz.jwt;

/**
 * A bearer token that is not acceptable, with the RFC 6750 error code ({@code invalid_token} or
 * {@code insufficient_scope}) and a description safe to show the client.
 */
public final class TokenException extends RuntimeException {
  private final String errorCode;

  public TokenException(String errorCode, String description) {
    super(description, null, false, false);
    this.errorCode = errorCode;
  }

  public static TokenException invalid(String description) {
    return new TokenException("invalid_token", description);
  }

  public String errorCode() {
    return errorCode;
  }
}
