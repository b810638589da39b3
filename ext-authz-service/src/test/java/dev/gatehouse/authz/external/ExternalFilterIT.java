package dev.gatehouse.authz.external;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.ConfigDir;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.Services;
import dev.gatehouse.testkit.FreePorts;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External Filters delegating to a real ext_authz (gRPC) and a real HTTP auth service. */
class ExternalFilterIT {
  @TempDir static Path remoteDir;
  @TempDir static Path frontDir;
  static Vertx vertx;
  static ExtAuthzService remote;
  static ExtAuthzService front;
  static HttpServer httpAuth;
  static CheckClient client;
  static final AtomicReference<String> seenPath = new AtomicReference<>();
  static final AtomicReference<String> seenToken = new AtomicReference<>();
  static final AtomicReference<String> seenSecret = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    new ConfigDir(remoteDir)
        .write("k.txt", "remote-key\n")
        .write(
            "remote.yaml",
            ConfigDir.filter("keys", "APIKey:\n  keys: [{file: k.txt}]\n")
                + ConfigDir.policy(
                    "all", "rules: [{host: \"*\", path: \"*\", filters: [{name: keys}]}]\n"));
    remote = Services.start(vertx, remoteDir);
    httpAuth =
        vertx
            .createHttpServer()
            .requestHandler(ExternalFilterIT::httpAuthService)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    int dead = FreePorts.next();
    new ConfigDir(frontDir)
        .write(
            "front.yaml",
            ConfigDir.filter(
                    "remote-grpc",
                    "External:\n  auth_service: 127.0.0.1:%d\n  proto: grpc\n"
                        .formatted(remote.grpcPort()))
                + ConfigDir.filter(
                    "remote-http",
                    """
                    External:
                      auth_service: http://127.0.0.1:%d
                      path_prefix: /auth
                      allowed_request_headers: [x-token]
                      allowed_authorization_headers: [x-auth-user]
                    """
                        .formatted(httpAuth.actualPort()))
                + ConfigDir.filter(
                    "dead",
                    "External:\n  auth_service: 127.0.0.1:%d\n  proto: grpc\n  timeout_ms: 500\n"
                        .formatted(dead))
                + ConfigDir.filter(
                    "dead-open",
                    "External:\n  auth_service: 127.0.0.1:%d\n  proto: grpc\n  timeout_ms: 500\n  failure_mode_allow: true\n"
                        .formatted(dead))
                + ConfigDir.policy(
                    "front",
                    """
                    rules:
                    - {host: "*", path: /g/*, filters: [{name: remote-grpc}]}
                    - {host: "*", path: /h/*, filters: [{name: remote-http}]}
                    - {host: "*", path: /dead/*, filters: [{name: dead}]}
                    - {host: "*", path: /open/*, filters: [{name: dead-open}]}
                    """));
    front = Services.start(vertx, frontDir);
    client = new CheckClient(vertx, front.grpcPort());
  }

  private static void httpAuthService(HttpServerRequest request) {
    seenPath.set(request.uri());
    seenToken.set(request.getHeader("x-token"));
    seenSecret.set(request.getHeader("x-secret"));
    if (request.path().startsWith("/auth/h/boom")) {
      request.response().setStatusCode(500).end();
    } else if ("good".equals(request.getHeader("x-token"))) {
      request.response().putHeader("x-auth-user", "bob").putHeader("x-not-allowed", "leak").end();
    } else {
      request
          .response()
          .setStatusCode(401)
          .putHeader("www-authenticate", "Token realm=\"remote\"")
          .end("nope");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    front.close();
    remote.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void grpcDelegateDecidesAndItsDenialArrivesAsSent() {
    CheckResponse allowed = client.get("h", "/g/x", Map.of("x-api-key", "remote-key"));
    CheckResponse denied = client.get("h", "/g/x", Map.of("x-api-key", "other"));

    assertThat(status(allowed)).isEqualTo(200);
    assertThat(status(denied)).isEqualTo(403);
    assertThat(denied.getDeniedResponse().getBody()).isEqualTo("invalid API key\n");
  }

  @Test
  void httpDelegateGetsPrefixedPathAndAllowedHeadersOnly() {
    CheckResponse allowed =
        client.get("h", "/h/orders?x=1", Map.of("x-token", "good", "x-secret", "s"));

    assertThat(status(allowed)).isEqualTo(200);
    assertThat(header(allowed, "x-auth-user")).isEqualTo("bob");
    assertThat(header(allowed, "x-not-allowed")).isNull();
    assertThat(seenPath.get()).isEqualTo("/auth/h/orders?x=1");
    assertThat(seenToken.get()).isEqualTo("good");
    assertThat(seenSecret.get()).isNull();
  }

  @Test
  void httpDelegateDenialGoesBackVerbatim() {
    CheckResponse denied = client.get("h", "/h/orders", Map.of("x-token", "bad"));

    assertThat(status(denied)).isEqualTo(401);
    assertThat(header(denied, "www-authenticate")).isEqualTo("Token realm=\"remote\"");
    assertThat(denied.getDeniedResponse().getBody()).isEqualTo("nope");
  }

  @Test
  void unreachableOrFailingDelegateDenies403UnlessFailureModeAllow() {
    assertThat(status(client.get("h", "/dead/x", Map.of()))).isEqualTo(403);
    assertThat(status(client.get("h", "/h/boom", Map.of("x-token", "good")))).isEqualTo(403);
    assertThat(status(client.get("h", "/open/x", Map.of()))).isEqualTo(200);
  }
}
