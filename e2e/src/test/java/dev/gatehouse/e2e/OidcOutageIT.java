package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.authz.session.EmbeddedHazelcast;
import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import dev.gatehouse.testkit.OidcProvider;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill (d): the OIDC provider (mock-oauth2-server) goes down. Through the real edge, the real
 * ext-authz-service and an OAuth2 Filter: a browser that logged in before keeps being served; a
 * login under way gets ext-authz-service's documented answer, 503 "Sign-in is temporarily
 * unavailable" with Retry-After, at the first step that needs the provider (the code exchange).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OidcOutageIT {
  private static final String HOST = "app.example.com";

  @RegisterExtension static OidcProvider idp = new OidcProvider();
  @RegisterExtension static EchoUpstream app = new EchoUpstream("app");

  @TempDir Path edgeDir;
  @TempDir Path authzDir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private HazelcastInstance hazelcast;
  private ExtAuthzService authz;
  private LocalControlPlane controlPlane;
  private Edge edge;

  @AfterEach
  void stop() throws Exception {
    if (!idp.isRunning()) {
      idp.start();
    }
    if (edge != null) {
      edge.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (authz != null) {
      authz.close();
    }
    if (hazelcast != null) {
      hazelcast.shutdown();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anExistingSessionKeepsWorkingAndANewLoginGets503WhileTheProviderIsDown() throws Exception {
    start();
    Map<String, String> loggedIn = new LinkedHashMap<>();
    login(loggedIn);
    assertThat(page(loggedIn).status()).isEqualTo(200);
    Map<String, String> newcomer = new LinkedHashMap<>();
    RawHttp.Answer first = page(newcomer);
    assertThat(first.status()).isEqualTo(302);
    String callback = followToProvider(first.header("location"));

    idp.shutdown();

    RawHttp.Answer session = page(loggedIn);
    assertThat(session.status()).as("an existing session").isEqualTo(200);
    assertThat(session.body()).contains("\"app\"");
    RawHttp.Answer failed = get(newcomer, pathOf(callback));
    assertThat(failed.status()).as("a new login").isEqualTo(503);
    assertThat(failed.body()).contains("temporarily unavailable");
    assertThat(failed.header("retry-after")).isEqualTo("10");

    idp.start();
    Map<String, String> later = new LinkedHashMap<>();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> login(later));
    assertThat(page(later).status()).as("logins work again once it is back").isEqualTo(200);
  }

  private void login(Map<String, String> cookies) throws Exception {
    RawHttp.Answer first = page(cookies);
    assertThat(first.status()).isEqualTo(302);
    String callback = followToProvider(first.header("location"));
    assertThat(callback).startsWith("http://" + HOST + "/.ambassador/oauth2/redirection-endpoint");
    RawHttp.Answer back = get(cookies, pathOf(callback));
    assertThat(back.status()).as("callback: %s", back.body()).isEqualTo(302);
  }

  private RawHttp.Answer page(Map<String, String> cookies) throws Exception {
    return get(cookies, "/home");
  }

  /** A browser's GET through the edge: its cookies sent, the answer's cookies kept. */
  private RawHttp.Answer get(Map<String, String> cookies, String path) throws Exception {
    String cookie =
        cookies.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; "));
    RawHttp.Answer answer =
        cookie.isEmpty()
            ? RawHttp.get(edge.httpPort, HOST, path, "Accept: text/html")
            : RawHttp.get(edge.httpPort, HOST, path, "Accept: text/html", "Cookie: " + cookie);
    for (String set : answer.all("set-cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return answer;
  }

  /** The provider's authorization endpoint answers a non-interactive login with a redirect. */
  private String followToProvider(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("provider: %s", response.body()).isEqualTo(302);
    return response.headers().firstValue("location").orElseThrow();
  }

  private static String pathOf(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private void start() throws Exception {
    // The provider's first answer takes seconds (its own warm-up): not part of the drill.
    http.send(
        HttpRequest.newBuilder(URI.create(idp.discoveryUrl("main"))).build(),
        HttpResponse.BodyHandlers.discarding());
    Files.writeString(
        authzDir.resolve("sso.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: sso, namespace: default}
        spec:
          OAuth2:
            authorizationURL: %s
            clientID: app
            secret: s3cret
            protectedOrigins: [{origin: "http://%s"}]
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: app, namespace: default}
        spec:
          rules:
          - {host: "*", path: "*", filters: [{name: sso}]}
        """
            .formatted(idp.issuerUrl("main"), HOST));
    int hazelcastPort = FreePorts.next();
    hazelcast =
        EmbeddedHazelcast.start(
            "gatehouse-e2e-" + System.nanoTime(),
            "127.0.0.1",
            hazelcastPort,
            List.of("127.0.0.1:" + hazelcastPort));
    OAuth2Module module = new OAuth2Module(OAuth2Module.hazelcast(vertx, () -> hazelcast));
    authz =
        ExtAuthzService.start(
            vertx,
            new ExtAuthzService.Settings(
                new DirectoryConfigSource(authzDir, "default", Duration.ofMillis(50)),
                new FileSecretSource(authzDir),
                "127.0.0.1",
                0,
                -1,
                -1,
                1,
                Duration.ofSeconds(5),
                AuthzRuntime.JwksTimings.DEFAULT,
                List.of(module),
                List.of(module)));
    controlPlane = new LocalControlPlane(edgeDir);
    Files.writeString(
        edgeDir.resolve("edge.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: app}
        spec:
          prefix: /
          service: 127.0.0.1:%d
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: AuthService
        metadata: {name: authz}
        spec:
          auth_service: 127.0.0.1:%d
          proto: grpc
          timeout_ms: 10000
        """
            .formatted(app.port(), authz.grpcPort()));
    edge = Edge.start(controlPlane.httpPort, controlPlane.xdsPort());
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> RawHttp.get(edge.httpPort, HOST, "/home", "Accept: text/html").status() == 302);
  }
}
