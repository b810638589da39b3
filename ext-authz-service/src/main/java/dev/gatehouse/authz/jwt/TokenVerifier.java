package dev.gatehouse.authz.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies JWTs: the signature with Nimbus over the cached JWKS, with a {@link
 * JWSVerificationKeySelector} that only admits the allowed asymmetric algorithms, then the claims
 * by {@link TokenRules}. Thread-safe; the CPU work of one verification runs on the caller's thread
 * and nothing blocks.
 */
public final class TokenVerifier {
  private final JwksCache keys;
  private final TokenRules rules;
  private final Clock clock;

  /** The processor for the latest key snapshot, so a check does not rebuild it. */
  private final AtomicReference<Processor> processor = new AtomicReference<>();

  /**
   * Tokens whose signature verified, by their exact text, with the key snapshot that verified them:
   * a client repeating its token costs a map lookup, not a signature check. An entry counts only
   * while that snapshot is still the current one, so a key that leaves the JWKS takes its tokens
   * with it; the time-dependent claims are checked again on every use.
   */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  /** Bound on {@link #verified}; reaching it empties the map (cheap, and rare in practice). */
  static final int CACHE_LIMIT = 4096;

  private record Verified(VerifiedToken token, JwksCache.Snapshot snapshot) {}

  private record Processor(JwksCache.Snapshot snapshot, DefaultJWTProcessor<SecurityContext> jwt) {}

  public TokenVerifier(JwksCache keys, TokenRules rules, Clock clock) {
    this.keys = keys;
    this.rules = rules;
    this.clock = clock;
  }

  /** The verified token, or a failed future with a {@link TokenException} or JWKS failure. */
  public Future<VerifiedToken> verify(String token) {
    Verified known = verified.get(token);
    if (known != null) {
      Future<JwksCache.Snapshot> keysNow = keys.current();
      if (keysNow.succeeded() && keysNow.result() == known.snapshot()) {
        try {
          checkClaims(known.token().claimsSet());
          return Future.succeededFuture(known.token());
        } catch (TokenException e) {
          verified.remove(token);
          return Future.failedFuture(e);
        }
      }
    }
    SignedJWT jwt;
    try {
      // SignedJWT.parse refuses unsecured (alg=none) tokens outright.
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return Future.failedFuture(TokenException.invalid("malformed token"));
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    if (!rules.algorithms().contains(algorithm)) {
      return Future.failedFuture(
          TokenException.invalid("algorithm " + algorithm.getName() + " not allowed"));
    }
    String kid = jwt.getHeader().getKeyID();
    return keys.current()
        .compose(
            snapshot -> {
              if (kid != null && snapshot.keys().getKeyByKeyId(kid) == null) {
                return keys.afterUnknownKid(snapshot).map(fresh -> check(jwt, token, fresh));
              }
              return Future.succeededFuture(check(jwt, token, snapshot));
            });
  }

  private VerifiedToken check(SignedJWT jwt, String raw, JwksCache.Snapshot snapshot) {
    JWTClaimsSet claims;
    try {
      claims = processorFor(snapshot).process(jwt, null);
    } catch (BadJOSEException | JOSEException e) {
      throw TokenException.invalid("signature not verified");
    }
    checkClaims(claims);
    VerifiedToken token =
        new VerifiedToken(raw, jwt.getHeader().toJSONObject(), claims, claims.toJSONObject());
    if (verified.size() >= CACHE_LIMIT) {
      verified.clear();
    }
    verified.put(raw, new Verified(token, snapshot));
    return token;
  }

  private DefaultJWTProcessor<SecurityContext> processorFor(JwksCache.Snapshot snapshot) {
    Processor current = processor.get();
    if (current != null && current.snapshot() == snapshot) {
      return current.jwt();
    }
    DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
    jwt.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            rules.algorithms(), new ImmutableJWKSet<>(snapshot.keys())));
    // Claims are checked below, with the leeways the Filter states rather than Nimbus' default.
    jwt.setJWTClaimsSetVerifier((claimsSet, context) -> {});
    processor.set(new Processor(snapshot, jwt));
    return jwt;
  }

  private void checkClaims(JWTClaimsSet claims) {
    long now = clock.millis();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      if (rules.requireExpiresAt()) {
        throw TokenException.invalid("token has no exp");
      }
    } else if (now >= exp.getTime() + rules.leewayForExpiresAt().toMillis()) {
      throw TokenException.invalid("token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf == null) {
      if (rules.requireNotBefore()) {
        throw TokenException.invalid("token has no nbf");
      }
    } else if (now < nbf.getTime() - rules.leewayForNotBefore().toMillis()) {
      throw TokenException.invalid("token not valid yet");
    }
    Date iat = claims.getIssueTime();
    if (iat == null) {
      if (rules.requireIssuedAt()) {
        throw TokenException.invalid("token has no iat");
      }
    } else if (now < iat.getTime() - rules.leewayForIssuedAt().toMillis()) {
      throw TokenException.invalid("token issued in the future");
    }
    String iss = claims.getIssuer();
    if (iss == null) {
      if (rules.requireIssuer()) {
        throw TokenException.invalid("token has no iss");
      }
    } else if (rules.issuer() != null && !rules.issuer().equals(iss)) {
      throw TokenException.invalid("token issuer not accepted");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || aud.isEmpty()) {
      if (rules.requireAudience()) {
        throw TokenException.invalid("token has no aud");
      }
    } else if (rules.audience() != null && !aud.contains(rules.audience())) {
      throw TokenException.invalid("token audience not accepted");
    }
  }
}
