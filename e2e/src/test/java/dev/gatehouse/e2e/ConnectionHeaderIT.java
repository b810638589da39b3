package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression for a finding of {@code RequestChecksFuzzTest}: a client that names the edge's own
 * headers in {@code Connection} (hop-by-hop, so removed) must not strip X-Forwarded-For,
 * X-Forwarded-Proto or x-request-id that the edge adds, or an upstream that trusts the edge's
 * X-Forwarded-For would see no client address at all.
 */
class ConnectionHeaderIT {
  @RegisterExtension static EchoUpstream upstream = new EchoUpstream("upstream");

  @TempDir Path dir;
  private LocalControlPlane controlPlane;
  private Edge edge;

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void headersNamedInConnectionDoNotRemoveTheEdgesForwardingHeaders() throws Exception {
    controlPlane = new LocalControlPlane(dir);
    Files.writeString(
        dir.resolve("m.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: m}
        spec:
          prefix: /svc/
          service: 127.0.0.1:%d
        """
            .formatted(upstream.port()));
    edge = Edge.start(controlPlane.httpPort, controlPlane.xdsPort());
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> edge.get("/svc/").status() == 200);

    RawHttp.Answer answer =
        RawHttp.send(
            edge.httpPort,
            "GET /svc/ HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 10.1.1.1\r\n"
                + "Connection: x-request-id, x-forwarded-for, x-forwarded-proto\r\n\r\n");

    assertThat(answer.status()).isEqualTo(200);
    Map<String, String> seen = upstreamHeaders(answer.body());
    assertThat(seen).containsKey("x-request-id");
    assertThat(seen).containsKey("x-forwarded-proto");
    assertThat(seen.get("x-forwarded-for")).as("x-forwarded-for").endsWith("127.0.0.1");
  }

  private static Map<String, String> upstreamHeaders(String body) {
    JsonObject echo = new JsonObject(body);
    Map<String, String> headers = new HashMap<>();
    for (Object pair : echo.getJsonArray("headers")) {
      JsonArray header = (JsonArray) pair;
      headers.merge(
          header.getString(0).toLowerCase(java.util.Locale.ROOT),
          header.getString(1),
          (a, b) -> a + "," + b);
    }
    return headers;
  }
}
