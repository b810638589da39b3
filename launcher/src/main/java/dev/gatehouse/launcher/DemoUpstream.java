package dev.gatehouse.launcher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's upstreams, like Emissary's quickstart: a quote-of-the-day service (any path answers a
 * JSON quote naming the server), and a token issuer for the JWT-protected path. The issuer mimics
 * the two endpoints of mock-oauth2-server that the quickstart uses ({@code /ISSUER/jwks} and {@code
 * /ISSUER/token}), so the same curl commands work against the compose file's real OIDC provider. It
 * is a demo: it signs a token for anyone who asks.
 */
final class DemoUpstream implements AutoCloseable {
  static final String ISSUER_ID = "demo";

  private static final List<String> QUOTES =
      List.of(
          "Abstraction is ever present.",
          "A late night does not make any sense.",
          "A principal idea is omnipresent, much like candy.",
          "Nihilism gambles with lives, happiness, and even destiny itself!",
          "The light at the end of the tunnel is interrupted by a flickering light.",
          "Non-locality is the driver of truth. By summoning, we vibrate.",
          "Utter nonsense is a storyteller without equal.",
          "Every time the route table changes, a proxy somewhere reloads.");

  private final Vertx vertx;
  private final List<HttpServer> servers = new ArrayList<>();
  private final RSAKey signingKey;

  private DemoUpstream(Vertx vertx) {
    this.vertx = vertx;
    try {
      this.signingKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the demo signing key", e);
    }
  }

  /**
   * Starts a quote service named {@code name} on each of {@code quotePorts} (named "quote",
   * "quote-canary", ...) and, when {@code issuerPort} is not negative, the token issuer.
   */
  static DemoUpstream start(List<Integer> quotePorts, int issuerPort) throws Exception {
    DemoUpstream demo = new DemoUpstream(Vertx.vertx());
    try {
      for (int i = 0; i < quotePorts.size(); i++) {
        String name = i == 0 ? "quote" : i == 1 ? "quote-canary" : "quote-canary-" + i;
        demo.listen(quotePorts.get(i), request -> demo.quote(name, request));
      }
      if (issuerPort >= 0) {
        demo.listen(issuerPort, demo::issuer);
      }
      return demo;
    } catch (Exception e) {
      demo.close();
      throw e;
    }
  }

  List<Integer> ports() {
    return servers.stream().map(HttpServer::actualPort).toList();
  }

  private void listen(int port, io.vertx.core.Handler<HttpServerRequest> handler) throws Exception {
    servers.add(
        vertx
            .createHttpServer()
            .requestHandler(handler)
            .listen(port, "127.0.0.1")
            .await(10, TimeUnit.SECONDS));
  }

  private void quote(String server, HttpServerRequest request) {
    JsonObject body =
        new JsonObject()
            .put("server", server)
            .put("quote", QUOTES.get(ThreadLocalRandom.current().nextInt(QUOTES.size())))
            .put("time", Instant.now().toString())
            .put("path", request.path());
    String user = request.getHeader("x-user");
    if (user != null) {
      // The JWT Filter of the quickstart injects the token's subject.
      body.put("user", user);
    }
    request.response().putHeader("content-type", "application/json").end(body.encode() + "\n");
  }

  private void issuer(HttpServerRequest request) {
    String base = "/" + ISSUER_ID;
    String issuer = "http://127.0.0.1:" + request.localAddress().port() + base;
    if (request.path().equals(base + "/jwks")) {
      request
          .response()
          .putHeader("content-type", "application/json")
          .end(new JWKSet(signingKey.toPublicJWK()).toString());
    } else if (request.path().equals(base + "/token")) {
      token(request, issuer);
    } else {
      request.response().setStatusCode(404).end("not found\n");
    }
  }

  private void token(HttpServerRequest request, String issuer) {
    request.setExpectMultipart(true);
    request
        .end()
        .onComplete(
            ignored -> {
              String subject = request.getFormAttribute("sub");
              try {
                String token =
                    sign(issuer, subject == null || subject.isBlank() ? "demo" : subject);
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end(
                        new JsonObject()
                                .put("access_token", token)
                                .put("token_type", "Bearer")
                                .put("expires_in", 3600)
                                .encode()
                            + "\n");
              } catch (JOSEException e) {
                request.response().setStatusCode(500).end("cannot sign: " + e.getMessage() + "\n");
              }
            });
  }

  String sign(String issuer, String subject) throws JOSEException {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience("gatehouse-demo")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }

  @Override
  public void close() {
    Future.join(servers.stream().map(HttpServer::close).toList())
        .eventually(vertx::close)
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
