package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import dev.gatehouse.testkit.OidcProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ext_authz through the real ext-authz-service: a JWT Filter chosen by a FilterPolicy. */
class AuthzIT {
  @RegisterExtension static EchoUpstream upstream = new EchoUpstream("upstream");
  @RegisterExtension static OidcProvider oidc = new OidcProvider();

  @TempDir Path edgeDir;
  @TempDir Path authzDir;
  private final Vertx vertx = Vertx.vertx();
  private ExtAuthzService authz;
  private EdgeStack stack;

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (authz != null) {
      authz.close();
    }
    vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void startAuthz() throws Exception {
    Files.writeString(
        authzDir.resolve("filters.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: jwt}
        spec:
          JWT:
            jwksURI: %s
            issuer: %s
            requireIssuer: true
            injectRequestHeaders:
              - name: x-user
                value: "{{ .token.Claims.sub }}"
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: policy}
        spec:
          rules:
            - host: "*"
              path: /secure/*
              filters:
                - name: jwt
        """
            .formatted(oidc.jwksUrl("demo"), oidc.issuerUrl("demo")));
    authz =
        ExtAuthzService.start(
            vertx,
            new ExtAuthzService.Settings(
                new DirectoryConfigSource(authzDir, "default", Duration.ofMillis(50)),
                new FileSecretSource(authzDir),
                "127.0.0.1",
                0,
                0,
                -1,
                1,
                Duration.ofSeconds(2),
                AuthzRuntime.JwksTimings.DEFAULT,
                List.of(),
                List.of()));
  }

  private void startEdge(int authzPort) throws Exception {
    stack = new EdgeStack(edgeDir);
    stack.write(
        "edge.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: AuthService
        metadata: {name: authentication}
        spec:
          auth_service: 127.0.0.1:%d
          proto: grpc
          timeout_ms: 2000
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: secure}
        spec:
          prefix: /secure/
          service: 127.0.0.1:%d
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: health}
        spec:
          prefix: /healthz/
          service: 127.0.0.1:%d
          bypass_auth: true
        """
            .formatted(authzPort, upstream.port(), upstream.port()));
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> stack.get("/healthz/").status() == 200);
  }

  private static String header(JsonArray headers, String name) {
    for (Object pair : headers) {
      JsonArray nameValue = (JsonArray) pair;
      if (nameValue.getString(0).equalsIgnoreCase(name)) {
        return nameValue.getString(1);
      }
    }
    return null;
  }

  @Test
  void aJwtProtectedPathDeniesWithoutATokenAndAllowsWithOneInjectingTheSubject() throws Exception {
    startAuthz();
    startEdge(authz.grpcPort());
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/secure/x").status() == 401);

    EdgeStack.Answer denied = stack.get("/secure/x");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.header("www-authenticate")).startsWith("Bearer");

    String token = oidc.issueToken("demo", "alice", "api", Map.of());
    EdgeStack.Answer allowed =
        stack.send(
            HttpMethod.GET,
            "/secure/x",
            Map.of("authorization", "Bearer " + token, "x-user", "mallory"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(header(allowed.echo().getJsonArray("headers"), "x-user"))
        .as("injected, never the client's")
        .isEqualTo("alice");
  }

  @Test
  void bypassAuthSkipsTheCheck() throws Exception {
    startAuthz();
    startEdge(authz.grpcPort());

    assertThat(stack.get("/healthz/").status()).isEqualTo(200);
  }

  @Test
  void anUnreachableAuthServiceFailsClosedWith403() throws Exception {
    startEdge(FreePorts.next());

    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/secure/x").status() == 403);
    assertThat(stack.get("/healthz/").status()).isEqualTo(200);
  }
}
