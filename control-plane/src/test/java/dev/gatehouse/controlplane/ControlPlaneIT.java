package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.controlplane.compile.Compiler;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ControlPlane controlPlane;
  private final HttpClient http = HttpClient.newHttpClient();

  static String mapping(String name, String prefix) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + "}\nspec:\n  prefix: "
        + prefix
        + "\n  service: "
        + name
        + "\n";
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("quote.yaml"), mapping("quote", "/quote/"));
    vertx = Vertx.vertx();
    controlPlane =
        new ControlPlane(vertx, ControlPlaneOptions.defaults(dir).withPorts("127.0.0.1", 0, 0));
    controlPlane.start().await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    controlPlane.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anEditedFileReachesTheAdsStreamWithinASecond() throws Exception {
    try (var ads = new dev.gatehouse.controlplane.xds.TestAds(controlPlane.xds().actualPort())) {
      DiscoveryResponse first = ads.routes();

      long edited = System.nanoTime();
      Files.writeString(dir.resolve("quote.yaml"), mapping("quote", "/quotes/"));
      DiscoveryResponse update = ads.next();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - edited);

      assertThat(update.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
      RouteConfiguration routes = update.getResources(0).unpack(RouteConfiguration.class);
      assertThat(routes.getVirtualHosts(0).getRoutes(0).getMatch().getPrefix())
          .isEqualTo("/quotes/");
      assertThat(millis).as("edit to new version, ms").isLessThan(1000);
    }
  }

  @Test
  void aFileThatIsNotYamlChangingInTheDirectoryIsNotLogged() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ControlPlane.class);
    logger.addAppender(log);
    try {
      long generation = controlPlane.state().generation();
      // The control plane's own log written into the directory it watches: each line is a change
      // of a file that is not YAML, and used to be logged as a new configuration, for ever.
      dev.gatehouse.testkit.GrowingLog.append(dir.resolve("control-plane.log"), 3, 200);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> controlPlane.state().generation() > generation);
      assertThat(log.list)
          .noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO));

      Files.writeString(dir.resolve("quote.yaml"), mapping("quote", "/quotes/"));
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(log.list)
                      .anyMatch(e -> e.getFormattedMessage().contains(" published (compiled in")));
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void aBadEditIsReportedWithFileLineAndFieldAndTheLastGoodRouteKeepsServing() throws Exception {
    String before = controlPlane.xds().publisher().current().routes();
    Files.writeString(
        dir.resolve("quote.yaml"), mapping("quote", "/quote/") + "  timeout_ms: -5\n");
    Files.writeString(dir.resolve("half.yaml"), "apiVersion: getambassador.io/v3alpha1\nkind: [");

    await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.state().generation() >= 2);
    JsonObject diag = new JsonObject(get("/ambassador/v0/diag/?json=true").body());

    assertThat(diag.getJsonArray("problems").stream().map(Object::toString))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("quote.yaml:7: Mapping default/quote: spec.timeout_ms: -5"))
        .anySatisfy(p -> assertThat(p).startsWith("half.yaml:2: not valid YAML"));
    JsonArray rejected = diag.getJsonArray("rejected");
    assertThat(rejected.stream().map(r -> ((JsonObject) r).getString("id")))
        .contains("Mapping default/quote", "half.yaml");
    assertThat(diag.getJsonArray("routes").getJsonObject(0).getString("match"))
        .isEqualTo("prefix /quote/");
    assertThat(controlPlane.xds().publisher().current().routes()).isEqualTo(before);
  }

  @Test
  void diagListsEveryResourceWithItsSourceRoutesAndClusters() throws Exception {
    HttpResponse<String> response = get("/ambassador/v0/diag/?json=true");
    JsonObject diag = new JsonObject(response.body());

    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject resource = diag.getJsonArray("resources").getJsonObject(0);
    assertThat(resource.getString("id")).isEqualTo("Mapping default/quote");
    assertThat(resource.getString("source")).isEqualTo("quote.yaml:1");
    JsonObject route = diag.getJsonArray("routes").getJsonObject(0);
    assertThat(route.getString("route_config")).isEqualTo(Compiler.HTTP_ROUTES);
    assertThat(route.getJsonArray("mappings").getString(0)).isEqualTo("Mapping default/quote");
    assertThat(diag.getJsonArray("clusters").getJsonObject(0).getString("endpoint"))
        .isEqualTo("quote:80");
    assertThat(diag.getJsonObject("xds").getString("routes_version"))
        .isEqualTo(controlPlane.state().compiled().routesVersion());
  }

  @Test
  void compilationRunsOnTheWatcherThreadAndPublicationOnTheXdsContext() throws Exception {
    java.util.concurrent.CompletableFuture<String> compiledOn =
        new java.util.concurrent.CompletableFuture<>();
    controlPlane.onApplied(
        state ->
            compiledOn.complete(
                Thread.currentThread().getName()
                    + (io.vertx.core.Context.isOnEventLoopThread() ? " (event loop)" : "")));

    Files.writeString(dir.resolve("quote.yaml"), mapping("quote", "/moved/"));

    // Listeners run right after the compilation, on the thread that compiled.
    assertThat(compiledOn.get(10, TimeUnit.SECONDS)).isEqualTo("gatehouse-config-watch");
  }

  @Test
  void diagWithoutJsonIsAPageForPeople() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), mapping("bad<x>", "/bad/") + "  timeout_ms: -1\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.state().generation() >= 2);

    HttpResponse<String> page = get("/ambassador/v0/diag/");

    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<h1>Gatehouse diagnostics</h1>")
        .contains("Mapping default/quote")
        .contains("prefix /quote/")
        .contains("bad.yaml:")
        .contains("bad&lt;x&gt;")
        .doesNotContain("bad<x>");
  }

  @Test
  void theModuleCanTurnDiagnosticsOff() throws Exception {
    Files.writeString(
        dir.resolve("module.yaml"),
        "apiVersion: getambassador.io/v3alpha1\nkind: Module\nmetadata: {name: ambassador}\n"
            + "spec:\n  config:\n    diagnostics: {enabled: false}\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.state().generation() >= 2);

    assertThat(get("/ambassador/v0/diag/?json=true").statusCode()).isEqualTo(404);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void probesAndMetricsAnswer() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/live").statusCode()).isEqualTo(200);
    assertThat(get("/ambassador/v0/check_ready").statusCode()).isEqualTo(200);
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("gatehouse_reconfigurations_total{result=\"applied\"} 1.0")
        .contains("gatehouse_reconfiguration_duration_seconds_count")
        .contains("gatehouse_config_errors 0.0")
        .contains("gatehouse_snapshot_bytes")
        .contains("gatehouse_xds_nacks_total 0.0");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.adminPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
