package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.Unsupported;
import java.time.Duration;
import java.util.List;

/**
 * A JWT Filter: bearer tokens verified against a JWKS. Gatehouse accepts only asymmetric
 * algorithms: {@code none} is never valid, and HMAC would need a shared secret that a JWKS must not
 * publish.
 */
public record JwtFilter(
    @Required String jwksURI,
    @Default("false") Boolean insecureTLS,
    List<String> validAlgorithms,
    String audience,
    @Default("false") Boolean requireAudience,
    String issuer,
    @Default("false") Boolean requireIssuer,
    @Default("false") Boolean requireExpiresAt,
    @Default("0s") Duration leewayForExpiresAt,
    @Default("false") Boolean requireNotBefore,
    @Default("0s") Duration leewayForNotBefore,
    @Default("false") Boolean requireIssuedAt,
    @Default("0s") Duration leewayForIssuedAt,
    Duration maxStale,
    List<InjectedHeader> injectRequestHeaders,
    ErrorResponse errorResponse,
    @Unsupported("TLS renegotiation is never done") Object renegotiateTLS) {

  public JwtFilter {
    Urls.requireHttp("jwksURI", jwksURI);
    for (String leeway : List.of("leewayForExpiresAt", "leewayForNotBefore", "leewayForIssuedAt")) {
      Duration value =
          switch (leeway) {
            case "leewayForExpiresAt" -> leewayForExpiresAt;
            case "leewayForNotBefore" -> leewayForNotBefore;
            default -> leewayForIssuedAt;
          };
      if (value.isNegative()) {
        throw new FieldException(
            leeway,
            "\"" + dev.gatehouse.config.yaml.GoDuration.format(value) + "\" (expected: >= 0s)");
      }
    }
    for (int i = 0; i < validAlgorithms.size(); i++) {
      JwsAlgorithm.parse("validAlgorithms[" + i + "]", validAlgorithms.get(i));
    }
  }

  /** The accepted algorithms; all of {@link JwsAlgorithm} when none are listed. */
  public List<JwsAlgorithm> algorithms() {
    if (validAlgorithms.isEmpty()) {
      return List.of(JwsAlgorithm.values());
    }
    return validAlgorithms.stream().map(a -> JwsAlgorithm.parse("validAlgorithms", a)).toList();
  }

  /** The JWT error answer: realm of WWW-Authenticate, headers and a body template. */
  public record ErrorResponse(
      String realm, List<InjectedHeader> headers, String bodyTemplate, String contentType) {
    public ErrorResponse {
      if (headers.size() > 16) {
        throw new FieldException("headers", headers.size() + " headers (expected: at most 16)");
      }
    }
  }

  /** The asymmetric JWS algorithms that Nimbus verifies with JWKS keys. */
  public enum JwsAlgorithm {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512;

    /** The algorithm named {@code text}, or a FieldException that says why it is refused. */
    static JwsAlgorithm parse(String field, String text) {
      for (JwsAlgorithm algorithm : values()) {
        if (algorithm.name().equalsIgnoreCase(text)) {
          return algorithm;
        }
      }
      String quoted = "\"" + text + "\"";
      if (text.equalsIgnoreCase("none")) {
        throw new FieldException(
            field, quoted + " (expected: a signing algorithm; unsigned tokens are never accepted)");
      }
      if (text.toUpperCase(java.util.Locale.ROOT).startsWith("HS")) {
        throw new FieldException(
            field,
            quoted
                + " (expected: an asymmetric algorithm; HMAC needs a shared secret, which a JWKS must not publish)");
      }
      throw new FieldException(
          field,
          quoted
              + " (expected: one of "
              + java.util.Arrays.stream(values())
                  .map(Enum::name)
                  .collect(java.util.stream.Collectors.joining(", "))
              + ")");
    }
  }
}
