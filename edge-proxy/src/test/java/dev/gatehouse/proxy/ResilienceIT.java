package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.testkit.EchoUpstream;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The edge keeps serving through control-plane restarts; CORS and mirroring at the edge. */
class ResilienceIT {
  @RegisterExtension static EchoUpstream main = new EchoUpstream("main");
  @RegisterExtension static EchoUpstream shadow = new EchoUpstream("shadow");

  @TempDir Path dir;
  private EdgeStack stack;

  @BeforeEach
  void start() throws Exception {
    stack = new EdgeStack(dir);
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  private static String mapping(String name, String body) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + body.indent(2);
  }

  @Test
  void theEdgeServesThroughAControlPlaneRestartAndPicksUpAChangeMadeMeanwhile() throws Exception {
    stack.write("a.yaml", mapping("a", "prefix: /a/\nservice: 127.0.0.1:" + main.port()));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/a/").status() == 200);
    int xdsPort = stack.controlPlane.xds().actualPort();

    stack.controlPlane.close().await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 20; i++) {
      assertThat(stack.get("/a/").status())
          .as("served while the control plane is away")
          .isEqualTo(200);
    }
    stack.write("b.yaml", mapping("b", "prefix: /b/\nservice: 127.0.0.1:" + main.port()));
    ControlPlane restarted =
        new ControlPlane(
                stack.vertx,
                new ControlPlaneOptions(
                    dir,
                    "default",
                    "127.0.0.1",
                    xdsPort,
                    0,
                    new CompilerOptions("127.0.0.1", stack.httpPort, stack.httpPort + 1),
                    Duration.ofMillis(50),
                    null))
            .start()
            .await(30, TimeUnit.SECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> stack.get("/b/").status() == 200);
      assertThat(stack.get("/a/").status()).isEqualTo(200);
    } finally {
      restarted.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCorsPreflightFromAnAllowedOriginIsAnsweredAtTheEdge() throws Exception {
    stack.write(
        "cors.yaml",
        mapping(
            "cors",
            "prefix: /api/\nservice: 127.0.0.1:"
                + main.port()
                + "\ncors:\n  origins: [https://app.example.com]\n  methods: [GET, POST]\n  headers: [content-type]\n  max_age: \"600\""));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/api/").status() == 200);
    int before = main.requestCount();

    EdgeStack.Answer preflight =
        stack.send(
            HttpMethod.OPTIONS,
            "/api/items",
            Map.of("origin", "https://app.example.com", "access-control-request-method", "POST"));
    EdgeStack.Answer actual =
        stack.send(HttpMethod.GET, "/api/items", Map.of("origin", "https://app.example.com"));
    EdgeStack.Answer foreign =
        stack.send(HttpMethod.GET, "/api/items", Map.of("origin", "https://evil.example"));

    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.header("access-control-allow-origin"))
        .isEqualTo("https://app.example.com");
    assertThat(preflight.header("access-control-allow-methods")).isEqualTo("GET, POST");
    assertThat(preflight.header("access-control-max-age")).isEqualTo("600");
    assertThat(main.requestCount() - before)
        .as("only the two actual requests reached the upstream")
        .isEqualTo(2);
    assertThat(actual.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
    assertThat(foreign.header("access-control-allow-origin")).isNull();
  }

  @Test
  void aShadowMappingGetsACopyAndItsAnswerIsIgnored() throws Exception {
    stack.write(
        "m.yaml",
        mapping("live", "prefix: /m/\nservice: 127.0.0.1:" + main.port())
            + "---\n"
            + mapping(
                "copy", "prefix: /m/\nservice: 127.0.0.1:" + shadow.port() + "\nshadow: true"));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/m/").status() == 200);
    shadow.respondWith(request -> request.response().setStatusCode(500).end("shadow broke"));
    int before = shadow.requestCount();

    EdgeStack.Answer answer = stack.get("/m/mirrored");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.echo().getString("server")).isEqualTo("main");
    await().atMost(Duration.ofSeconds(5)).until(() -> shadow.requestCount() > before);
    shadow.respondWith(null);
  }
}
