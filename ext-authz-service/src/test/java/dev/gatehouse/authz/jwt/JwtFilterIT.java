package dev.gatehouse.authz.jwt;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.ConfigDir;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.Services;
import dev.gatehouse.authz.TestJwks;
import dev.gatehouse.testkit.OidcProvider;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWT Filter through the whole service, over gRPC. */
class JwtFilterIT {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static TestJwks jwks;
  private static TestJwks rotating;
  private static TestJwks flaky;
  private static OidcProvider idp;
  private static ExtAuthzService service;
  private static CheckClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    jwks = new TestJwks(vertx);
    rotating = new TestJwks(vertx);
    flaky = new TestJwks(vertx);
    idp = new OidcProvider().start();
    String common =
        """
        validAlgorithms: [RS256]
        issuer: %s
        requireIssuer: true
        audience: %s
        requireAudience: true
        requireExpiresAt: true
        leewayForExpiresAt: 5s
        leewayForNotBefore: 5s
        """
            .formatted(TestJwks.ISSUER, TestJwks.AUDIENCE);
    new ConfigDir(dir)
        .write(
            "filters.yaml",
            ConfigDir.filter(
                    "jwt",
                    "JWT:\n"
                        + ("jwksURI: "
                                + jwks.uri()
                                + "\n"
                                + common
                                + """
                                injectRequestHeaders:
                                - name: x-user
                                  value: "{{ .token.Claims.sub }}"
                                - name: x-kid
                                  value: "{{ .token.Header.kid }}"
                                - name: x-trace-copy
                                  value: '{{ .httpRequestHeader.Get "x-trace" }}'
                                errorResponse:
                                  realm: orders
                                  headers:
                                  - name: x-error
                                    value: "{{ .error }}"
                                """)
                            .indent(2))
                + ConfigDir.filter(
                    "rotating", "JWT:\n" + ("jwksURI: " + rotating.uri() + "\n" + common).indent(2))
                + ConfigDir.filter(
                    "flaky", "JWT:\n" + ("jwksURI: " + flaky.uri() + "\n" + common).indent(2))
                + ConfigDir.filter(
                    "idp",
                    "JWT:\n"
                        + ("jwksURI: "
                                + idp.jwksUrl("main")
                                + "\nissuer: "
                                + idp.issuerUrl("main")
                                + "\nrequireIssuer: true\n")
                            .indent(2))
                + ConfigDir.filter(
                    "dead",
                    "JWT:\n  jwksURI: http://127.0.0.1:"
                        + dev.gatehouse.testkit.FreePorts.next()
                        + "/jwks\n")
                + ConfigDir.policy(
                    "api",
                    """
                    rules:
                    - host: "*"
                      path: /api/*
                      filters: [{name: jwt}]
                    - host: "*"
                      path: /orders/*
                      filters: [{name: jwt, arguments: {scope: "orders:read orders:write"}}]
                    - {host: "*", path: /rotating/*, filters: [{name: rotating}]}
                    - {host: "*", path: /flaky/*, filters: [{name: flaky}]}
                    - {host: "*", path: /idp/*, filters: [{name: idp}]}
                    - {host: "*", path: /dead/*, filters: [{name: dead}]}
                    """));
    service = Services.start(vertx, dir);
    client = new CheckClient(vertx, service.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    idp.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static CheckResponse getWithToken(String path, String token) {
    return client.get("api.example.com", path, Map.of("authorization", "Bearer " + token));
  }

  @Test
  void validTokenIsAllowedWithInjectedHeadersReplacingSpoofedOnes() {
    CheckResponse response =
        client.get(
            "api.example.com",
            "/api/orders",
            Map.of(
                "authorization", "Bearer " + jwks.token("alice", Map.of()),
                "x-user", "admin",
                "x-trace", "t-42"));

    assertThat(status(response)).isEqualTo(200);
    assertThat(header(response, "x-user")).isEqualTo("alice");
    assertThat(header(response, "x-kid")).isEqualTo("k1");
    assertThat(header(response, "x-trace-copy")).isEqualTo("t-42");
    assertThat(response.getOkResponse().getHeadersList())
        .allSatisfy(h -> assertThat(h.getAppend().getValue()).isFalse());
  }

  @Test
  void missingTokenGetsBareBearerChallengeAndTheErrorResponse() {
    CheckResponse response = client.get("api.example.com", "/api/orders", Map.of());

    assertThat(status(response)).isEqualTo(401);
    assertThat(header(response, "www-authenticate")).isEqualTo("Bearer realm=\"orders\"");
    assertThat(header(response, "x-error")).isEqualTo("invalid_request");
    assertThat(header(response, "content-type")).isEqualTo("application/json");
    assertThat(response.getDeniedResponse().getBody())
        .isEqualTo("{\"error\":\"invalid_request\",\"message\":\"no token\",\"status_code\":401}");
  }

  @Test
  void unsignedAlgNoneTokenIsRejected() {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload =
        Base64URL.encode(
                "{\"sub\":\"alice\",\"iss\":\""
                    + TestJwks.ISSUER
                    + "\",\"aud\":\"api\",\"exp\":"
                    + (System.currentTimeMillis() / 1000 + 3600)
                    + "}")
            .toString();

    CheckResponse response = getWithToken("/api/x", header + "." + payload + ".");

    assertThat(status(response)).isEqualTo(401);
    assertThat(header(response, "www-authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  void hmacTokenSignedWithThePublicKeyIsRejected() throws Exception {
    byte[] publicKey = jwks.key().toRSAPublicKey().getEncoded();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), validClaims().build());
    forged.sign(new MACSigner(publicKey));

    CheckResponse response = getWithToken("/api/x", forged.serialize());

    assertThat(status(response)).isEqualTo(401);
    assertThat(header(response, "www-authenticate")).contains("algorithm HS256 not allowed");
  }

  @Test
  void expiredTokenBeyondLeewayIsRejected() {
    long now = System.currentTimeMillis();
    String expired = jwks.sign(validClaims().expirationTime(new Date(now - 10_000)).build());
    String withinLeeway = jwks.sign(validClaims().expirationTime(new Date(now - 1_000)).build());

    assertThat(header(getWithToken("/api/x", expired), "www-authenticate"))
        .contains("token expired");
    assertThat(status(getWithToken("/api/x", withinLeeway))).isEqualTo(200);
  }

  @Test
  void notYetValidTokenIsRejected() {
    String early =
        jwks.sign(
            validClaims().notBeforeTime(new Date(System.currentTimeMillis() + 60_000)).build());

    assertThat(header(getWithToken("/api/x", early), "www-authenticate"))
        .contains("token not valid yet");
  }

  @Test
  void tokenOfAnotherIssuerOrAudienceIsRejected() {
    String otherIssuer = jwks.sign(validClaims().issuer("https://evil.test").build());
    String otherAudience = jwks.sign(validClaims().audience("billing").build());

    assertThat(header(getWithToken("/api/x", otherIssuer), "www-authenticate"))
        .contains("issuer not accepted");
    assertThat(header(getWithToken("/api/x", otherAudience), "www-authenticate"))
        .contains("audience not accepted");
  }

  @Test
  void missingScopeGets403InsufficientScopeAndFullScopeIsAllowed() {
    String partial = jwks.token("alice", Map.of("scope", "orders:read"));
    String full =
        jwks.token("alice", Map.of("scp", java.util.List.of("orders:write", "orders:read")));

    CheckResponse denied = getWithToken("/orders/1", partial);

    assertThat(status(denied)).isEqualTo(403);
    assertThat(header(denied, "www-authenticate"))
        .contains("error=\"insufficient_scope\"")
        .contains("scope=\"orders:read orders:write\"");
    assertThat(status(getWithToken("/orders/1", full))).isEqualTo(200);
  }

  @Test
  void unknownKidAfterKeyRotationIsFetchedAndVerifiedAndTheRetiredKeysTokensFail()
      throws Exception {
    String beforeRotation = rotating.token("alice", Map.of());
    assertThat(status(getWithToken("/rotating/x", beforeRotation))).isEqualTo(200);
    assertThat(status(getWithToken("/rotating/x", beforeRotation))).isEqualTo(200); // cached

    rotating.rotate("k2");
    String rotated = rotating.token("alice", Map.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(status(getWithToken("/rotating/x", rotated))).isEqualTo(200));
    // k1 left the JWKS: its token, verified and cached before, no longer passes.
    assertThat(status(getWithToken("/rotating/x", beforeRotation))).isEqualTo(401);
  }

  @Test
  void cachedKeysKeepWorkingWhileTheJwksEndpointIsDown() {
    String token = flaky.token("alice", Map.of());
    assertThat(status(getWithToken("/flaky/x", token))).isEqualTo(200);
    int fetchesBefore = flaky.fetches();

    flaky.down(true);
    try {
      // Past refreshAfter, each check tries a background refresh that fails; keys stay.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                assertThat(status(getWithToken("/flaky/x", token))).isEqualTo(200);
                return flaky.fetches() > fetchesBefore;
              });
      assertThat(status(getWithToken("/flaky/x", token))).isEqualTo(200);
    } finally {
      flaky.down(false);
    }
  }

  @Test
  void unreachableJwksWithNothingCachedAnswers503Promptly() {
    long started = System.nanoTime();

    CheckResponse response = getWithToken("/dead/x", jwks.token("alice", Map.of()));

    assertThat(status(response)).isEqualTo(503);
    assertThat(header(response, "www-authenticate")).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void tokenIssuedByTheOidcProviderIsVerifiedAgainstItsJwks() {
    String token = idp.issueToken("main", "bob", "any", Map.of());

    CheckResponse response = getWithToken("/idp/x", token);

    assertThat(status(response)).isEqualTo(200);
  }

  @Test
  void garbageTokenIsRejectedWithoutDetail() {
    CheckResponse response =
        getWithToken("/api/x", new String(new byte[] {'a', '.', 'b'}, StandardCharsets.US_ASCII));

    assertThat(status(response)).isEqualTo(401);
    assertThat(header(response, "www-authenticate")).contains("malformed token");
  }

  private static JWTClaimsSet.Builder validClaims() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .subject("alice")
        .issuer(TestJwks.ISSUER)
        .audience(TestJwks.AUDIENCE)
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 600_000));
  }
}
