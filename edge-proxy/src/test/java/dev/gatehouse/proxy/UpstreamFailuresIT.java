package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the edge answers when upstreams refuse, hang, reset or fail, with and without retries. */
class UpstreamFailuresIT {
  @RegisterExtension EchoUpstream flaky = new EchoUpstream("flaky");
  @RegisterExtension EchoUpstream healthy = new EchoUpstream("healthy");

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

  private void mapping(String prefix, String service, String extra) throws Exception {
    String name = prefix.replace("/", "");
    stack.write(
        name + ".yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata:
          name: %s
        spec:
          prefix: %s
          service: %s
        %s
        """
            .formatted(name, prefix, service, extra.indent(2)));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get(prefix).status() != 404);
  }

  @Test
  void aRefusedConnectionIs503WithEnvoysReason() throws Exception {
    int closed = FreePorts.next();
    mapping("/refused/", "127.0.0.1:" + closed, "");

    EdgeStack.Answer answer = stack.get("/refused/");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body())
        .isEqualTo(
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
  }

  @Test
  void aHangingUpstreamTimesOutWith504AtTheRouteTimeout() throws Exception {
    mapping("/slow/", "127.0.0.1:" + flaky.port(), "timeout_ms: 300");

    long started = System.nanoTime();
    EdgeStack.Answer answer =
        stack.send(HttpMethod.GET, "/slow/", Map.of("x-echo-delay-ms", "5000"));
    long took = (System.nanoTime() - started) / 1_000_000;

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.body()).isEqualTo("upstream request timeout");
    assertThat(took).isLessThan(3000);
  }

  @Test
  void a5xxIsRetriedPerThePolicyAndTheAnswerComesFromTheLastTry() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    flaky.respondWith(
        request ->
            request
                .response()
                .setStatusCode(calls.incrementAndGet() <= 2 ? 503 : 200)
                .end("try " + calls.get()));
    mapping(
        "/retry/", "127.0.0.1:" + flaky.port(), "retry_policy:\n  retry_on: 5xx\n  num_retries: 3");
    calls.set(0);

    EdgeStack.Answer answer = stack.get("/retry/");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("try 3");
    assertThat(calls.get()).isEqualTo(3);
    assertThat(stack.proxy.metrics().scrape())
        .containsPattern("envoy_cluster_upstream_rq_retry_total\\{[^}]*\\} [1-9]");
  }

  @Test
  void withoutARetryPolicyA5xxGoesBackAsIs() throws Exception {
    mapping("/plain/", "127.0.0.1:" + flaky.port(), "");

    EdgeStack.Answer answer = stack.send(HttpMethod.GET, "/plain/", Map.of("x-echo-status", "502"));

    assertThat(answer.status()).isEqualTo(502);
  }

  @Test
  void retriesStopAtNumRetries() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    flaky.respondWith(
        request -> {
          calls.incrementAndGet();
          request.response().setStatusCode(503).end();
        });
    mapping(
        "/always/",
        "127.0.0.1:" + flaky.port(),
        "retry_policy:\n  retry_on: gateway-error\n  num_retries: 2");
    calls.set(0);

    EdgeStack.Answer answer = stack.get("/always/");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void aConnectionResetBeforeTheAnswerIs503() throws Exception {
    flaky.respondWith(request -> request.connection().close());
    mapping("/reset/", "127.0.0.1:" + flaky.port(), "");

    EdgeStack.Answer answer = stack.get("/reset/");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body())
        .startsWith("upstream connect error or disconnect/reset before headers");
  }

  @Test
  void theCircuitBreakerAnswers503OverloadedPastMaxRequests() throws Exception {
    mapping("/busy/", "127.0.0.1:" + flaky.port(), "circuit_breakers:\n- max_requests: 1");
    var first =
        stack
            .client
            .request(HttpMethod.GET, stack.httpPort, "127.0.0.1", "/busy/")
            .compose(r -> r.putHeader("x-echo-delay-ms", "1500").send());
    await().atMost(Duration.ofSeconds(5)).until(() -> flaky.requestCount() >= 1);

    EdgeStack.Answer second = stack.get("/busy/");

    assertThat(second.status()).isEqualTo(503);
    assertThat(second.header("x-envoy-overloaded")).isEqualTo("true");
    assertThat(first.await(5, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }
}
