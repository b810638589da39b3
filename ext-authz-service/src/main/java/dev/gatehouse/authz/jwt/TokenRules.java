package dev.gatehouse.authz.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import dev.gatehouse.config.auth.JwtFilter;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token must satisfy beyond its signature: the algorithm allow-list (asymmetric only), the
 * issuer and audience, and exp / nbf / iat with their leeways.
 */
public record TokenRules(
    Set<JWSAlgorithm> algorithms,
    String issuer,
    boolean requireIssuer,
    String audience,
    boolean requireAudience,
    boolean requireExpiresAt,
    Duration leewayForExpiresAt,
    boolean requireNotBefore,
    Duration leewayForNotBefore,
    boolean requireIssuedAt,
    Duration leewayForIssuedAt) {

  public TokenRules {
    algorithms = Set.copyOf(algorithms);
    for (JWSAlgorithm algorithm : algorithms) {
      // The last line of defence against alg=none and HMAC-with-the-public-key confusion.
      if (!JWSAlgorithm.Family.RSA.contains(algorithm)
          && !JWSAlgorithm.Family.EC.contains(algorithm)) {
        throw new IllegalArgumentException(
            "algorithm: " + algorithm + " (expected: an RSA or EC signature algorithm)");
      }
    }
  }

  /** The rules of a JWT Filter resource. */
  public static TokenRules of(JwtFilter spec) {
    return new TokenRules(
        spec.algorithms().stream()
            .map(a -> JWSAlgorithm.parse(a.name()))
            .collect(Collectors.toUnmodifiableSet()),
        spec.issuer(),
        spec.requireIssuer(),
        spec.audience(),
        spec.requireAudience(),
        spec.requireExpiresAt(),
        spec.leewayForExpiresAt(),
        spec.requireNotBefore(),
        spec.leewayForNotBefore(),
        spec.requireIssuedAt(),
        spec.leewayForIssuedAt());
  }

  /** Rules for an OIDC provider's ID tokens: its issuer, our client id, exp required. */
  public static TokenRules idToken(String issuer, String clientId, Duration leeway) {
    return new TokenRules(
        Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512),
        issuer,
        true,
        clientId,
        true,
        true,
        leeway,
        false,
        leeway,
        false,
        leeway);
  }
}
