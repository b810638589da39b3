package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}, {@code /ready} and {@code /live} as the launcher mounts them. */
class AdminIT extends ServiceHarness {
  private HttpServer admin;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  protected Store store() {
    return Store.MEMORY;
  }

  @BeforeEach
  void startAdmin() throws Exception {
    admin =
        vertx
            .createHttpServer()
            .requestHandler(server.adminRouter())
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 5, name: per_user}
              - key: ip
                detailed_metric: true
                rate_limit: {unit: hour, requests_per_unit: 1}
            """));
  }

  @AfterEach
  void stopAdmin() throws Exception {
    admin.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountHitsPerRuleAndOutcome() throws Exception {
    for (int i = 0; i < 5; i++) {
      check(request("edge", descriptor("user", "alice")));
    }
    check(request("edge", descriptor("user", "alice")));

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains("gatehouse_ratelimit_hits_total{rule=\"edge.user\"} 6.0")
        .contains("gatehouse_ratelimit_within_limit_total{rule=\"edge.user\"} 5.0")
        .contains("gatehouse_ratelimit_near_limit_total{rule=\"edge.user\"} 1.0")
        .contains("gatehouse_ratelimit_over_limit_total{rule=\"edge.user\"} 1.0")
        .contains("gatehouse_ratelimit_store_latency_seconds_count")
        .contains("gatehouse_ratelimit_config_loads_total 2.0");
  }

  @Test
  void detailedMetricLabelsAreCappedSoCardinalityStaysBounded() throws Exception {
    for (int i = 0; i < 1005; i++) {
      server
          .metrics()
          .rule(
              "edge.ip_10.0." + i,
              1,
              dev.gatehouse.ratelimit.admin.RateLimitMetrics.Outcome.WITHIN_LIMIT);
    }
    check(request("edge", descriptor("ip", "10.9.9.9")));

    String body = get("/metrics").body();
    assertThat(body.lines().filter(l -> l.startsWith("gatehouse_ratelimit_hits_total{")))
        .hasSize(1000 + 1);
    assertThat(body).contains("gatehouse_ratelimit_hits_total{rule=\"_overflow\"} 6.0");
  }

  @Test
  void readyOnceConfiguredAndLiveAlways() throws Exception {
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"ready\":true", "\"store\":\"memory\"", "\"store_breaker_open\":false");
    assertThat(get("/live").statusCode()).isEqualTo(200);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }
}
