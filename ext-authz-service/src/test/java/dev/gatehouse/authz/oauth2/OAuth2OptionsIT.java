package dev.gatehouse.authz.oauth2;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.ConfigDir;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.Services;
import dev.gatehouse.authz.session.SigningKeys;
import dev.gatehouse.testkit.OidcProvider;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 Filter options beyond the login itself, against a real provider (mock-oauth2-server): the
 * Password grant and {@code useSessionCookies.ifRequestHeader}.
 */
class OAuth2OptionsIT {
  @TempDir static Path dir;
  static Vertx vertx;
  static OidcProvider idp;
  static ExtAuthzService service;
  static CheckClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = new OidcProvider().start();
    OAuth2LoginIT.warmUp(idp);
    String issuer = idp.issuerUrl("main");
    new ConfigDir(dir)
        .write(
            "authz.yaml",
            ConfigDir.filter(
                    "pw",
                    "OAuth2:\n  authorizationURL: %s\n  clientID: app\n  secret: s3cret\n  grantType: Password\n"
                        .formatted(issuer))
                + ConfigDir.filter(
                    "remember",
                    """
                    OAuth2:
                      authorizationURL: %s
                      clientID: app
                      secret: s3cret
                      protectedOrigins: [{origin: "http://app.example.com"}]
                      useSessionCookies:
                        value: true
                        ifRequestHeader: {name: x-shared-device}
                    """
                        .formatted(issuer))
                + ConfigDir.filter(
                    "lenient",
                    "OAuth2:\n  authorizationURL: %s\n  clientID: app\n  secret: s3cret\n"
                            .formatted(issuer)
                        + "  protectedOrigins: [{origin: \"http://app.example.com\"}]\n"
                        + "  allowMalformedAccessToken: true\n")
                + ConfigDir.filter(
                    "idp-jwt",
                    """
                    JWT:
                      jwksURI: %s
                      issuer: %s
                      requireIssuer: true
                      injectRequestHeaders:
                      - {name: x-jwt-sub, value: "{{ .token.Claims.sub }}"}
                    """
                        .formatted(idp.jwksUrl("main"), issuer))
                + ConfigDir.filter(
                    "delegating",
                    """
                    OAuth2:
                      authorizationURL: %s
                      clientID: app
                      secret: s3cret
                      protectedOrigins: [{origin: "http://app.example.com"}]
                      accessTokenJWTFilter:
                        name: idp-jwt
                        inheritScopeArgument: true
                        stripInheritedScope: true
                    """
                        .formatted(issuer))
                + ConfigDir.filter(
                    "behind",
                    """
                    OAuth2:
                      authorizationURL: %s
                      clientID: app
                      secret: s3cret
                      protectedOrigins:
                      - origin: https://myservice.example.com
                        allowedInternalOrigins: ["http://example.internal"]
                    """
                        .formatted(issuer))
                + ConfigDir.policy(
                    "app",
                    """
                    rules:
                    - {host: "*", path: /pw/*, filters: [{name: pw}]}
                    - {host: "*", path: /behind/*, filters: [{name: behind}]}
                    - {host: "*", path: /lenient/*, filters: [{name: lenient}]}
                    - {host: "*", path: /delegated/*, filters: [{name: delegating}]}
                    - host: "*"
                      path: /delegated-admin/*
                      filters: [{name: delegating, arguments: {scope: "https://api.example.com/admin"}}]
                    - {host: "*", path: "*", filters: [{name: remember}]}
                    """));
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    OAuth2Module module =
        new OAuth2Module(
            () -> new OAuth2Module.Shared(new MemorySessions(), SigningKeys.fixed(key)));
    service =
        ExtAuthzService.start(vertx, Services.settings(dir, List.of(module), List.of(module)));
    client = new CheckClient(vertx, service.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    service.close();
    idp.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void passwordGrantTradesTheUsersCredentialsForABearerTokenAndRemovesThem() {
    CheckResponse allowed =
        client.get(
            "app.example.com",
            "/pw/orders",
            Map.of("x-ambassador-username", "alice", "x-ambassador-password", "secret"));

    assertThat(status(allowed)).isEqualTo(200);
    assertThat(header(allowed, "authorization")).startsWith("Bearer ey");
    assertThat(allowed.getOkResponse().getHeadersToRemoveList())
        .contains("x-ambassador-username", "x-ambassador-password");
  }

  @Test
  void passwordGrantWithoutCredentialsIs401() {
    CheckResponse denied =
        client.get("app.example.com", "/pw/orders", Map.of("x-ambassador-username", "alice"));

    assertThat(status(denied)).isEqualTo(401);
    assertThat(header(denied, "www-authenticate")).startsWith("Basic realm=");
  }

  @Test
  void sessionCookiesLastForTheBrowserSessionOnlyWhereTheHeaderSaysSo() throws Exception {
    assertThat(sessionCookie(Map.of("x-shared-device", "1"))).doesNotContain("Max-Age");
    assertThat(sessionCookie(Map.of())).contains("Max-Age=86400");
  }

  @Test
  void aRequestRewrittenToAnInternalOriginLogsInAtThePublicOrigin() {
    CheckResponse login =
        client.get("example.internal", "/behind/page?x=1", Map.of("accept", "text/html"));

    assertThat(status(login)).isEqualTo(302);
    assertThat(header(login, "location"))
        .contains(
            "redirect_uri=https%3A%2F%2Fmyservice.example.com%2F.ambassador%2Foauth2%2Fredirection-endpoint");
    assertThat(header(login, "set-cookie")).contains("Secure");

    CheckResponse elsewhere =
        client.get("other.internal", "/behind/page", Map.of("accept", "text/html"));
    assertThat(status(elsewhere)).isEqualTo(403);
  }

  @Test
  void aMalformedBearerTokenIsRefusedUnlessAllowedAndThenGoesToTheProvider() {
    Map<String, String> malformed = Map.of("authorization", "Bearer not,a\"token");

    CheckResponse strict = client.get("app.example.com", "/home", malformed);
    CheckResponse lenient = client.get("app.example.com", "/lenient/x", malformed);

    assertThat(status(strict)).isEqualTo(401);
    assertThat(header(strict, "www-authenticate")).contains("not an RFC 6750 b64token");
    // Allowed through the syntax check, the provider's userinfo endpoint then refuses it.
    assertThat(status(lenient)).isEqualTo(401);
    assertThat(header(lenient, "www-authenticate"))
        .contains("token not accepted")
        .doesNotContain("b64token");
  }

  @Test
  void accessTokenJwtFilterValidatesBearerTokensWithItsRulesAndHeaders() {
    String token = idp.issueToken("main", "alice", "app", Map.of("scope", "openid read"));
    Map<String, String> bearer = Map.of("authorization", "Bearer " + token);

    CheckResponse allowed = client.get("app.example.com", "/delegated/x", bearer);
    assertThat(status(allowed)).isEqualTo(200);
    assertThat(header(allowed, "x-jwt-sub")).isEqualTo("alice");

    // The rule's scope, inherited and stripped to "admin", is the JWT Filter's to check.
    CheckResponse lacking = client.get("app.example.com", "/delegated-admin/x", bearer);
    assertThat(status(lacking)).isEqualTo(403);
    assertThat(header(lacking, "www-authenticate"))
        .contains("insufficient_scope")
        .contains("scope=\"admin\"");

    OidcProvider other = new OidcProvider().start();
    try {
      String foreign = other.issueToken("main", "mallory", "app", Map.of());
      CheckResponse refused =
          client.get(
              "app.example.com", "/delegated/x", Map.of("authorization", "Bearer " + foreign));
      assertThat(status(refused)).isEqualTo(401);
    } finally {
      other.close();
    }
  }

  /** Logs in, sending {@code headers} with the callback; returns its session Set-Cookie. */
  private static String sessionCookie(Map<String, String> headers) throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(client, "/home", Map.of("accept", "text/html"));
    assertThat(status(first)).isEqualTo(302);
    String callback = browser.followToProvider(header(first, "location"));
    CheckResponse back = browser.get(client, Browser.pathOf(callback), headers);
    assertThat(status(back)).isEqualTo(302);
    return back.getDeniedResponse().getHeadersList().stream()
        .map(h -> h.getHeader().getValue())
        .filter(v -> v.startsWith("ambassador_session.remember.default="))
        .findFirst()
        .orElseThrow();
  }
}
