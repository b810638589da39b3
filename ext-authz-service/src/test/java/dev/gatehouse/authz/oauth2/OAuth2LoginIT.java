package dev.gatehouse.authz.oauth2;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.ConfigDir;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.Services;
import dev.gatehouse.authz.session.EmbeddedHazelcast;
import dev.gatehouse.testkit.FreePorts;
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
 * OIDC single sign-on against a real provider (mock-oauth2-server), through two service replicas
 * that share sessions in a two-member Hazelcast cluster.
 */
class OAuth2LoginIT {
  @TempDir static Path dir;
  static Vertx vertx;
  static OidcProvider idp;
  static HazelcastInstance hazelcastA;
  static HazelcastInstance hazelcastB;
  static ExtAuthzService serviceA;
  static ExtAuthzService serviceB;
  static CheckClient a;
  static CheckClient b;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = new OidcProvider().start();
    warmUp(idp);
    String sso =
        """
        OAuth2:
          authorizationURL: %s
          clientID: app
          secret: s3cret
          protectedOrigins: [{origin: "http://app.example.com"}]
          postLogoutRedirectURI: http://app.example.com/bye
          injectRequestHeaders:
          - {name: x-user, value: "{{ .token.Claims.sub }}"}
        """
            .formatted(idp.issuerUrl("main"));
    new ConfigDir(dir)
        .write(
            "authz.yaml",
            ConfigDir.filter("sso", sso)
                + ConfigDir.filter("refreshing", sso + "  expirationSafetyMargin: 2h\n")
                + ConfigDir.filter("brief", sso + "  clientSessionMaxIdle: 2s\n")
                + ConfigDir.filter(
                    "machines",
                    "OAuth2:\n  authorizationURL: %s\n  grantType: ClientCredentials\n"
                        .formatted(idp.issuerUrl("main")))
                + ConfigDir.policy(
                    "app",
                    """
                    rules:
                    - {host: "*", path: /admin/*, filters: [{name: sso, arguments: {scope: admin}}]}
                    - host: "*"
                      path: /embedded/*
                      filters: [{name: sso, arguments: {insteadOfRedirect: {httpStatusCode: 403}}}]
                    - {host: "*", path: /refresh/*, filters: [{name: refreshing}]}
                    - {host: "*", path: /brief/*, filters: [{name: brief}]}
                    - {host: "*", path: /strict/*, filters: [{name: sso, arguments: {sameSite: Strict}}]}
                    - {host: "*", path: /machines/*, filters: [{name: machines}]}
                    - {host: "*", path: "*", filters: [{name: sso}]}
                    """));
    List<Integer> ports = FreePorts.next(2);
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    String cluster = "gatehouse-it-" + System.nanoTime();
    hazelcastA = EmbeddedHazelcast.start(cluster, "127.0.0.1", ports.get(0), members);
    hazelcastB = EmbeddedHazelcast.start(cluster, "127.0.0.1", ports.get(1), members);
    serviceA = start(hazelcastA);
    serviceB = start(hazelcastB);
    a = new CheckClient(vertx, serviceA.grpcPort());
    b = new CheckClient(vertx, serviceB.grpcPort());
  }

  /**
   * The provider's first answer takes seconds (its own start-up work); the service's 2 s outbound
   * timeout would count that against the first login.
   */
  static void warmUp(OidcProvider provider) {
    try {
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(provider.discoveryUrl("main")))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new IllegalStateException("OIDC provider did not answer", e);
    }
  }

  private static ExtAuthzService start(HazelcastInstance hazelcast) {
    OAuth2Module module = new OAuth2Module(OAuth2Module.hazelcast(vertx, () -> hazelcast));
    return ExtAuthzService.start(vertx, Services.settings(dir, List.of(module), List.of(module)));
  }

  @AfterAll
  static void stop() throws Exception {
    serviceA.close();
    serviceB.close();
    hazelcastA.shutdown();
    hazelcastB.shutdown();
    idp.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static final Map<String, String> HTML = Map.of("accept", "text/html");

  /** Runs the whole login from a protected page; returns the callback's response. */
  static CheckResponse login(Browser browser, CheckClient client, String page) throws Exception {
    CheckResponse first = browser.get(client, page, HTML);
    assertThat(status(first)).isEqualTo(302);
    String callback = browser.followToProvider(header(first, "location"));
    assertThat(callback)
        .startsWith("http://app.example.com/.ambassador/oauth2/redirection-endpoint?");
    return browser.get(client, Browser.pathOf(callback), HTML);
  }

  @Test
  void wholeLoginEndsAllowedWithInjectedHeadersAndOurCookiesRemoved() throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(a, "/dashboard?tab=1", HTML);

    assertThat(status(first)).isEqualTo(302);
    assertThat(header(first, "location"))
        .startsWith(idp.authorizationEndpointUrl("main") + "?")
        .contains("code_challenge_method=S256")
        .contains(
            "redirect_uri=http%3A%2F%2Fapp.example.com%2F.ambassador%2Foauth2%2Fredirection-endpoint");
    assertThat(browser.cookies).containsKey("ambassador_login.sso.default");

    String callback = browser.followToProvider(header(first, "location"));
    CheckResponse back = browser.get(a, Browser.pathOf(callback), HTML);

    assertThat(status(back)).isEqualTo(302);
    assertThat(header(back, "location")).isEqualTo("http://app.example.com/dashboard?tab=1");
    assertThat(
            back.getDeniedResponse().getHeadersList().stream()
                .filter(h -> h.getHeader().getKey().equals("set-cookie"))
                .map(h -> h.getHeader().getValue()))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("ambassador_session.sso.default=")
                    .contains("HttpOnly")
                    .contains("SameSite=Lax")
                    .doesNotContain("Secure"));
    assertThat(browser.cookies)
        .containsKey("ambassador_session.sso.default")
        .doesNotContainKey("ambassador_login.sso.default");

    browser.cookies.put("theme", "dark");
    CheckResponse allowed = browser.get(a, "/dashboard?tab=1", Map.of("x-user", "spoofed"));

    assertThat(status(allowed)).isEqualTo(200);
    assertThat(header(allowed, "x-user")).isNotEqualTo("spoofed").isNotBlank();
    assertThat(header(allowed, "authorization")).startsWith("Bearer ");
    assertThat(header(allowed, "cookie")).isEqualTo("theme=dark");
  }

  @Test
  void sessionFromOneReplicaIsServedByTheOtherAndLogoutEndsItOnBoth() throws Exception {
    Browser browser = new Browser();
    login(browser, a, "/home");
    assertThat(status(browser.get(b, "/home", HTML))).isEqualTo(200);
    String xsrf = browser.cookies.get("ambassador_xsrf.sso.default");
    String sessionCookie = browser.cookies.get("ambassador_session.sso.default");

    CheckResponse wrongXsrf =
        browser.send(b, "POST", "/.ambassador/oauth2/logout", Map.of(), "_xsrf=guess");
    assertThat(status(wrongXsrf)).isEqualTo(403);

    CheckResponse logout =
        browser.send(b, "POST", "/.ambassador/oauth2/logout", Map.of(), "_xsrf=" + xsrf);

    assertThat(status(logout)).isEqualTo(302);
    assertThat(header(logout, "location"))
        .startsWith(idp.endSessionEndpointUrl("main"))
        .contains("post_logout_redirect_uri=http%3A%2F%2Fapp.example.com%2Fbye");
    assertThat(browser.cookies).doesNotContainKey("ambassador_session.sso.default");
    // A copy of the old cookie gets nowhere on either replica: the session itself is gone.
    Browser stale = new Browser();
    stale.cookies.put("ambassador_session.sso.default", sessionCookie);
    assertThat(status(stale.get(a, "/home", HTML))).isEqualTo(302);
    assertThat(status(stale.get(b, "/home", HTML))).isEqualTo(302);
  }

  @Test
  void xhrAndJsonClientsGet401InsteadOfARedirect() {
    Browser browser = new Browser();

    CheckResponse xhr = browser.get(a, "/home", Map.of("x-requested-with", "XMLHttpRequest"));
    CheckResponse json = browser.get(a, "/home", Map.of("accept", "application/json"));

    assertThat(status(xhr)).isEqualTo(401);
    assertThat(status(json)).isEqualTo(401);
    assertThat(header(xhr, "location")).isNull();
  }

  @Test
  void sameSiteArgumentAppliesToTheSessionCookieButNotTheLoginCookie() throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(a, "/strict/page", HTML);
    CheckResponse back =
        browser.get(a, Browser.pathOf(browser.followToProvider(header(first, "location"))), HTML);

    assertThat(header(first, "set-cookie")).contains("SameSite=Lax");
    assertThat(back.getDeniedResponse().getHeadersList())
        .filteredOn(h -> h.getHeader().getValue().startsWith("ambassador_session.sso.default="))
        .singleElement()
        .satisfies(h -> assertThat(h.getHeader().getValue()).contains("SameSite=Strict"));
  }

  @Test
  void sessionIdleLongerThanClientSessionMaxIdleIsGone() throws Exception {
    Browser browser = new Browser();
    login(browser, a, "/brief/page");
    assertThat(status(browser.get(a, "/brief/page", HTML))).isEqualTo(200);

    org.awaitility.Awaitility.await()
        .pollDelay(java.time.Duration.ofMillis(2500))
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(status(browser.get(b, "/brief/page", HTML))).isEqualTo(302));
  }

  @Test
  void insteadOfRedirectArgumentAnswersItsStatus() {
    assertThat(status(new Browser().get(a, "/embedded/frame", HTML))).isEqualTo(403);
  }

  @Test
  void sessionWithoutTheRulesScopeIsDenied() throws Exception {
    Browser browser = new Browser();
    login(browser, a, "/home");

    CheckResponse admin = browser.get(a, "/admin/users", HTML);

    assertThat(status(admin)).isEqualTo(403);
    assertThat(admin.getDeniedResponse().getBody()).contains("insufficient_scope");
  }

  @Test
  void callbackWithAnotherStateIsRejected() throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(a, "/home", HTML);
    String callback = browser.followToProvider(header(first, "location"));

    CheckResponse forged =
        browser.get(a, Browser.pathOf(callback).replaceAll("state=[^&]+", "state=forged"), HTML);

    assertThat(status(forged)).isEqualTo(403);
    assertThat(browser.cookies).doesNotContainKey("ambassador_session.sso.default");
  }

  @Test
  void callbackInABrowserThatDidNotStartTheLoginIsRejected() throws Exception {
    Browser attacker = new Browser();
    CheckResponse first = attacker.get(a, "/home", HTML);
    String callback = attacker.followToProvider(header(first, "location"));

    Browser victim = new Browser();
    CheckResponse response = victim.get(a, Browser.pathOf(callback), HTML);

    assertThat(status(response)).isEqualTo(403);
    assertThat(victim.cookies).isEmpty();
  }

  @Test
  void replayedCallbackIsRejectedEvenOnTheOtherReplica() throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(a, "/home", HTML);
    String loginCookie = browser.cookies.get("ambassador_login.sso.default");
    String callback = browser.followToProvider(header(first, "location"));
    assertThat(status(browser.get(a, Browser.pathOf(callback), HTML))).isEqualTo(302);

    Browser replay = new Browser();
    replay.cookies.put("ambassador_login.sso.default", loginCookie);
    CheckResponse again = replay.get(b, Browser.pathOf(callback), HTML);

    assertThat(status(again)).isEqualTo(403);
    assertThat(replay.cookies).doesNotContainKey("ambassador_session.sso.default");
  }

  @Test
  void idTokenCarryingAnotherNonceIsRejected() throws Exception {
    Browser browser = new Browser();
    CheckResponse first = browser.get(a, "/home", HTML);
    String tampered = header(first, "location").replaceAll("nonce=[^&]+", "nonce=attacker");
    String callback = browser.followToProvider(tampered);

    CheckResponse response = browser.get(a, Browser.pathOf(callback), HTML);

    assertThat(status(response)).isEqualTo(403);
    assertThat(response.getDeniedResponse().getBody()).contains("nonce");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "//evil.example/x",
        "/\\evil.example/x",
        "/%2F%2Fevil.example/x",
        "/%5cevil.example"
      })
  void returnUrlCannotLeadOffTheProtectedOrigin(String path) throws Exception {
    CheckResponse back = login(new Browser(), a, path);

    assertThat(status(back)).isEqualTo(302);
    assertThat(header(back, "location")).isEqualTo("http://app.example.com/");
  }

  @Test
  void hostThatIsNotAProtectedOriginGets403NotALogin() {
    CheckResponse response = a.get("evil.example", "/home", HTML);

    assertThat(status(response)).isEqualTo(403);
    assertThat(header(response, "location")).isNull();
  }

  @Test
  void tamperedSessionCookieStartsALoginInsteadOfAllowing() throws Exception {
    Browser browser = new Browser();
    login(browser, a, "/home");
    String cookie = browser.cookies.get("ambassador_session.sso.default");
    String flipped =
        cookie.substring(0, 3) + (cookie.charAt(3) == 'A' ? 'B' : 'A') + cookie.substring(4);
    browser.cookies.put("ambassador_session.sso.default", flipped);

    assertThat(status(browser.get(a, "/home", HTML))).isEqualTo(302);
  }

  @Test
  void accessTokenIsRefreshedWithinTheSafetyMargin() throws Exception {
    Browser browser = new Browser();
    login(browser, a, "/refresh/x");

    CheckResponse firstUse = browser.get(a, "/refresh/x", HTML);
    CheckResponse secondUse = browser.get(b, "/refresh/x", HTML);

    assertThat(status(firstUse)).isEqualTo(200);
    assertThat(status(secondUse)).isEqualTo(200);
    // Every use is within the 2 h margin of a 1 h token, so each one refreshed it.
    assertThat(header(secondUse, "authorization")).isNotEqualTo(header(firstUse, "authorization"));
  }

  @Test
  void clientCredentialsAreTradedForABearerTokenAndRemoved() {
    CheckResponse allowed =
        a.get(
            Browser.HOST,
            "/machines/report",
            Map.of("x-ambassador-client-id", "reporter", "x-ambassador-client-secret", "pw"));
    CheckResponse missing = a.get(Browser.HOST, "/machines/report", Map.of());

    assertThat(status(allowed)).isEqualTo(200);
    assertThat(header(allowed, "authorization")).startsWith("Bearer ey");
    assertThat(allowed.getOkResponse().getHeadersToRemoveList())
        .contains("x-ambassador-client-id", "x-ambassador-client-secret");
    assertThat(status(missing)).isEqualTo(401);
  }

  @Test
  void providerOutageKeepsSessionsWorkingAndFailsNewLoginsWith503() throws Exception {
    Browser loggedIn = new Browser();
    login(loggedIn, a, "/home");
    Browser newcomer = new Browser();
    CheckResponse first = newcomer.get(a, "/home", HTML);
    String callback = newcomer.followToProvider(header(first, "location"));

    idp.shutdown();
    try {
      assertThat(status(loggedIn.get(a, "/home", HTML))).isEqualTo(200);
      CheckResponse failed = newcomer.get(a, Browser.pathOf(callback), HTML);
      assertThat(status(failed)).isEqualTo(503);
      assertThat(failed.getDeniedResponse().getBody()).contains("temporarily unavailable");
    } finally {
      idp.restart();
    }
  }
}
