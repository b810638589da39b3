package dev.gatehouse.authz;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWKS endpoint under the test's control: RSA keys that can be rotated, tokens signed with them
 * (or with anything else), a fetch counter, and an outage switch.
 */
public final class TestJwks implements AutoCloseable {
  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "api";

  private final HttpServer server;
  private volatile RSAKey key;
  private volatile boolean down;
  private volatile long delayMillis;
  private final AtomicInteger fetches = new AtomicInteger();

  public TestJwks(Vertx vertx) throws Exception {
    this.key = newKey("k1");
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  fetches.incrementAndGet();
                  String body = new JWKSet(key.toPublicJWK()).toString();
                  Runnable answer =
                      () -> {
                        if (down) {
                          request.response().setStatusCode(503).end();
                        } else {
                          request
                              .response()
                              .putHeader("content-type", "application/json")
                              .end(body);
                        }
                      };
                  if (delayMillis > 0) {
                    vertx.setTimer(delayMillis, t -> answer.run());
                  } else {
                    answer.run();
                  }
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  private static RSAKey newKey(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).generate();
  }

  public String uri() {
    return "http://127.0.0.1:" + server.actualPort() + "/jwks";
  }

  public RSAKey key() {
    return key;
  }

  /** Replaces the signing key with a new one under a new kid. */
  public void rotate(String kid) throws Exception {
    key = newKey(kid);
  }

  /** Answers every fetch this much later, like a slow identity provider. */
  public void delay(java.time.Duration delay) {
    delayMillis = delay.toMillis();
  }

  public void down(boolean isDown) {
    down = isDown;
  }

  public int fetches() {
    return fetches.get();
  }

  /** A valid token for {@code subject}, an hour long, with extra claims. */
  public String token(String subject, Map<String, Object> extra) {
    long now = System.currentTimeMillis();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .issueTime(new Date(now))
            .notBeforeTime(new Date(now))
            .expirationTime(new Date(now + 3_600_000));
    extra.forEach(claims::claim);
    return sign(claims.build());
  }

  /** {@code claims} signed RS256 with the current key. */
  public String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
