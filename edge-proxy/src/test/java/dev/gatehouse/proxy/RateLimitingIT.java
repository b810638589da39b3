package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.ratelimit.RateLimitServer;
import dev.gatehouse.ratelimit.RateLimitServerOptions;
import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global rate limiting through the real ratelimit-service, configured by the real control plane.
 */
class RateLimitingIT {
  @RegisterExtension static EchoUpstream quote = new EchoUpstream("quote");

  @TempDir Path edgeDir;
  @TempDir Path limitsDir;
  private final Vertx vertx = Vertx.vertx();
  private RateLimitServer limits;
  private EdgeStack stack;

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (limits != null) {
      limits.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(boolean failureModeDeny, int rlsPort) throws Exception {
    stack = new EdgeStack(edgeDir);
    stack.write(
        "edge.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: backend}
        spec:
          prefix: /backend/
          service: 127.0.0.1:%d
          labels:
            ambassador:
              - backend_group:
                  - generic_key: {value: backend}
              - per_org:
                  - request_headers: {key: org, header_name: x-org}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimitService
        metadata: {name: ratelimit}
        spec:
          service: 127.0.0.1:%d
          timeout_ms: 500
          failure_mode_deny: %s
        """
            .formatted(quote.port(), rlsPort, failureModeDeny));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/backend/").status() != 404);
  }

  private void limitsService() throws Exception {
    Files.writeString(
        limitsDir.resolve("limits.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimit
        metadata: {name: backend}
        spec:
          domain: ambassador
          limits:
            - name: backend-per-hour
              pattern: [{generic_key: backend}]
              rate: 5
              unit: hour
            - name: acme-per-hour
              pattern: [{org: acme}]
              rate: 1
              unit: hour
        """);
    RateLimitServerOptions defaults = RateLimitServerOptions.defaults(limitsDir);
    limits =
        RateLimitServer.start(
                vertx,
                new RateLimitServerOptions(
                    limitsDir,
                    "default",
                    null,
                    "127.0.0.1",
                    0,
                    null,
                    null,
                    defaults.limiter(),
                    1,
                    Duration.ofMillis(50)))
            .await(20, TimeUnit.SECONDS);
  }

  @Test
  void requestsOverTheLimitGet429WithEnvoysHeader() throws Exception {
    limitsService();
    start(false, limits.grpcPort());

    int allowed = 0;
    EdgeStack.Answer last = null;
    for (int i = 0; i < 8; i++) {
      last = stack.get("/backend/");
      if (last.status() == 200) {
        allowed++;
      }
    }

    // The route's first request (during setup) counted too: 5 per hour in all (an hour, not a
    // minute: a fixed window that ends mid-test hands out a new quota, which made this test flaky
    // near a minute boundary).
    assertThat(allowed).isEqualTo(4);
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.header("x-envoy-ratelimited")).isEqualTo("true");
    assertThat(stack.proxy.metrics().scrape())
        .containsPattern("envoy_cluster_ratelimit_over_limit_total\\{[^}]*\\} [1-9]");
  }

  @Test
  void aDescriptorWhoseHeaderIsMissingIsNotSent() throws Exception {
    limitsService();
    start(false, limits.grpcPort());

    EdgeStack.Answer first =
        stack.send(
            io.vertx.core.http.HttpMethod.GET, "/backend/", java.util.Map.of("x-org", "acme"));
    EdgeStack.Answer second =
        stack.send(
            io.vertx.core.http.HttpMethod.GET, "/backend/", java.util.Map.of("x-org", "acme"));
    EdgeStack.Answer noOrg = stack.get("/backend/");

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).as("acme's own limit of 1 per hour").isEqualTo(429);
    assertThat(noOrg.status()).isEqualTo(200);
  }

  @Test
  void aDownRateLimitServiceFailsOpenByDefault() throws Exception {
    start(false, FreePorts.next());

    assertThat(stack.get("/backend/").status()).isEqualTo(200);
  }

  @Test
  void aDownRateLimitServiceDeniesWithFailureModeDeny() throws Exception {
    stack = new EdgeStack(edgeDir);
    stack.write(
        "edge.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: backend}
        spec:
          prefix: /backend/
          service: 127.0.0.1:%d
          labels:
            ambassador:
              - g:
                  - generic_key: {value: backend}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimitService
        metadata: {name: ratelimit}
        spec:
          service: 127.0.0.1:%d
          failure_mode_deny: true
        """
            .formatted(quote.port(), FreePorts.next()));

    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/backend/").status() == 500);
  }
}
