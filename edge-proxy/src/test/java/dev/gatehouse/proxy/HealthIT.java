package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Active health checks and outlier detection take failing endpoints out, and bring them back. */
class HealthIT {
  @RegisterExtension EchoUpstream upstream = new EchoUpstream("upstream");
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

  private void mapping(String extra) throws Exception {
    stack.write(
        "m.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: m}
        spec:
          prefix: /svc/
          service: 127.0.0.1:%d
        %s
        """
            .formatted(upstream.port(), extra.indent(2)));
  }

  @Test
  void aFailingHealthCheckTakesTheEndpointOutAndAPassingOneBringsItBack() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    upstream.respondWith(
        request -> {
          if (request.path().equals("/health")) {
            request.response().setStatusCode(healthy.get() ? 200 : 503).end();
          } else {
            request.response().end("served");
          }
        });
    mapping(
        "health_checks:\n- interval: 0.2s\n  unhealthy_threshold: 2\n  healthy_threshold: 1\n  health_check:\n    http:\n      path: /health");
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/svc/").status() == 200);

    healthy.set(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.get("/svc/").status() == 503);
    EdgeStack.Answer down = stack.get("/svc/");
    assertThat(down.body()).isEqualTo("no healthy upstream");

    healthy.set(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.get("/svc/").status() == 200);
  }

  @Test
  void consecutive5xxEjectTheEndpoint() throws Exception {
    mapping("outlier_detection:\n  consecutive_5xx: 3\n  base_ejection_time: 30s");
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/svc/").status() == 200);

    for (int i = 0; i < 3; i++) {
      assertThat(stack.send(HttpMethod.GET, "/svc/", Map.of("x-echo-status", "500")).status())
          .isEqualTo(500);
    }

    EdgeStack.Answer ejected = stack.get("/svc/");
    assertThat(ejected.status()).isEqualTo(503);
    assertThat(ejected.body()).isEqualTo("no healthy upstream");
    assertThat(stack.proxy.metrics().scrape())
        .containsPattern(
            "envoy_cluster_outlier_detection_ejections_enforced_total\\{[^}]*\\} 1\\.0");
  }
}
