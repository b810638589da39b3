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
    List<JwsAlgorithm> validAlgorithms,
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
        throw new FieldException(leeway, "\"" + dev.gatehouse.config.yaml.GoDuration.format(value) + "\" (expected: >= 0s)");
      }
    }
    if (validAlgorithms.isEmpty()) {
      validAlgorithms = List.of(JwsAlgorithm.values());
    }
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
  @dev.gatehouse.config.yaml.IgnoreCase
  public enum JwsAlgorithm {
    @dev.gatehouse.config.yaml.YamlName("RS256")
    RS256,
    @dev.gatehouse.config.yaml.YamlName("RS384")
    RS384,
    @dev.gatehouse.config.yaml.YamlName("RS512")
    RS512,
    @dev.gatehouse.config.yaml.YamlName("PS256")
    PS256,
    @dev.gatehouse.config.yaml.YamlName("PS384")
    PS384,
    @dev.gatehouse.config.yaml.YamlName("PS512")
    PS512,
    @dev.gatehouse.config.yaml.YamlName("ES256")
    ES256,
    @dev.gatehouse.config.yaml.YamlName("ES384")
    ES384,
    @dev.gatehouse.config.yaml.YamlName("ES512")
    ES512;

    @Override
    public String toString() {
      return name();
    }
  }
}
