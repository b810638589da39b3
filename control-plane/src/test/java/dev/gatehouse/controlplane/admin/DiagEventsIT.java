package dev.gatehouse.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagEventsIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ControlPlane controlPlane;
  private HttpClient client;

  private static String mapping(String name) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + "}\nspec:\n  prefix: /"
        + name
        + "/\n  service: "
        + name
        + "\n";
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), mapping("a"));
    vertx = Vertx.vertx();
    controlPlane =
        new ControlPlane(vertx, ControlPlaneOptions.defaults(dir).withPorts("127.0.0.1", 0, 0));
    controlPlane.extendAdmin(
        new AdminExtension() {
          @Override
          public void addRoutes(Router router) {
            router.get("/extra").handler(ctx -> ctx.response().end("extra\n"));
          }

          @Override
          public String diagPageSection() {
            return "<section id=\"extra-section\"></section>";
          }

          @Override
          public void annotate(dev.gatehouse.controlplane.ConfigState state, JsonObject report) {
            report.put("annotated", state.generation());
          }
        });
    controlPlane.start().await(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(controlPlane::ready);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    controlPlane.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String get(String path) throws Exception {
    return client
        .request(HttpMethod.GET, controlPlane.adminPort(), "127.0.0.1", path)
        .compose(r -> r.send())
        .compose(HttpClientResponse::body)
        .await(20, TimeUnit.SECONDS)
        .toString();
  }

  @Test
  void anAppliedConfigurationIsAnnouncedToTheOpenPage() throws Exception {
    StringBuilder received = new StringBuilder();
    HttpClientResponse stream =
        client
            .request(
                HttpMethod.GET, controlPlane.adminPort(), "127.0.0.1", "/ambassador/v0/diag/events")
            .compose(r -> r.send())
            .await(20, TimeUnit.SECONDS);
    assertThat(stream.getHeader("content-type")).isEqualTo("text/event-stream");
    stream.handler(
        chunk -> {
          synchronized (received) {
            received.append(chunk.toString());
          }
        });
    long before = controlPlane.state().generation();

    Files.writeString(dir.resolve("b.yaml"), mapping("b"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              synchronized (received) {
                return received.toString().contains("event: config\ndata: ");
              }
            });
    long announced;
    synchronized (received) {
      String text = received.toString();
      int at = text.indexOf("data: ") + "data: ".length();
      announced = Long.parseLong(text.substring(at, text.indexOf('\n', at)));
    }
    assertThat(announced).isGreaterThan(before);
  }

  @Test
  void extensionsAddRoutesAPageSectionAndReportFacts() throws Exception {
    assertThat(get("/extra")).isEqualTo("extra\n");
    assertThat(get("/ambassador/v0/diag/")).contains("<section id=\"extra-section\"></section>");
    JsonObject report = new JsonObject(get("/ambassador/v0/diag/?json=true"));
    assertThat(report.getLong("annotated")).isEqualTo(report.getLong("generation"));
    assertThat(get("/ambassador/v0/diag/?part=live"))
        .doesNotContain("<html")
        .contains("Mapping default/a");
  }
}
