package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EchoUpstreamIT {

  @RegisterExtension static EchoUpstream echo = new EchoUpstream("alpha");
  @RegisterExtension static EchoUpstream secure = EchoUpstream.tls("secure");

  private static Vertx vertx;
  private static HttpClientAgent http1;
  private static HttpClientAgent h2c;

  @BeforeAll
  static void clients() {
    vertx = Vertx.vertx();
    // A connection per request, as the other modules' tests do: a pooled keep-alive connection
    // to a server that a test stopped and started again once left a request waiting in CI.
    http1 = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    h2c =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
  }

  @AfterAll
  static void closeClients() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void echoAgain() {
    echo.respondWith(null);
  }

  @Test
  void reportsMethodPathHeadersAndBodyOverHttp11() throws Exception {
    Reply reply =
        send(
            http1,
            echo.port(),
            HttpMethod.POST,
            "/orders/42?expand=items&x=%20y",
            MultiMap.caseInsensitiveMultiMap().add("X-Trace", "t1").add("x-multi", "a"),
            "{\"qty\":2}");

    assertThat(reply.status).isEqualTo(200);
    assertThat(reply.headers.get("x-echo-server")).isEqualTo("alpha");
    assertThat(reply.headers.get("content-type")).isEqualTo("application/json");
    JsonObject body = reply.json();
    assertThat(body.getString("server")).isEqualTo("alpha");
    assertThat(body.getString("method")).isEqualTo("POST");
    assertThat(body.getString("path")).isEqualTo("/orders/42?expand=items&x=%20y");
    assertThat(body.getString("version")).isEqualTo("HTTP/1.1");
    assertThat(body.getString("scheme")).isEqualTo("http");
    assertThat(body.getString("authority")).isEqualTo("127.0.0.1:" + echo.port());
    assertThat(body.getString("body")).isEqualTo("{\"qty\":2}");
    assertThat(body.getString("remoteAddress")).startsWith("127.0.0.1:");
    assertThat(body.getBoolean("tls")).isFalse();
    assertThat(headerPairs(body))
        .containsSubsequence(List.of("X-Trace", "t1"), List.of("x-multi", "a"));
  }

  @Test
  void reportsTheSameOverH2cWithPriorKnowledge() throws Exception {
    Reply reply =
        send(
            h2c,
            echo.port(),
            HttpMethod.PUT,
            "/h2/path?q=1",
            MultiMap.caseInsensitiveMultiMap().add("x-trace", "t2"),
            "over h2c");

    assertThat(reply.version).isEqualTo(HttpVersion.HTTP_2);
    JsonObject body = reply.json();
    assertThat(body.getString("version")).isEqualTo("HTTP/2");
    assertThat(body.getString("method")).isEqualTo("PUT");
    assertThat(body.getString("path")).isEqualTo("/h2/path?q=1");
    assertThat(body.getString("body")).isEqualTo("over h2c");
    assertThat(headerPairs(body)).contains(List.of("x-trace", "t2"));
  }

  @Test
  void answersWithTheStatusAndHeadersAskedForByEchoHeaders() throws Exception {
    Reply reply =
        send(
            http1,
            echo.port(),
            HttpMethod.GET,
            "/unavailable",
            MultiMap.caseInsensitiveMultiMap()
                .add("x-echo-status", "503")
                .add("x-echo-header", "Retry-After: 7")
                .add("x-echo-header", "X-Upstream: alpha: one"),
            "");

    assertThat(reply.status).isEqualTo(503);
    assertThat(reply.headers.get("retry-after")).isEqualTo("7");
    assertThat(reply.headers.get("x-upstream")).isEqualTo("alpha: one");
    assertThat(reply.json().getString("path")).isEqualTo("/unavailable");
  }

  @Test
  void delaysTheAnswerByEchoDelayMs() throws Exception {
    long start = System.nanoTime();

    Reply reply =
        send(
            http1,
            echo.port(),
            HttpMethod.GET,
            "/slow",
            MultiMap.caseInsensitiveMultiMap().add("x-echo-delay-ms", "300"),
            "");

    assertThat(reply.status).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void rejectsAMalformedEchoStatusWithAnExplanation() throws Exception {
    Reply reply =
        send(
            http1,
            echo.port(),
            HttpMethod.GET,
            "/",
            MultiMap.caseInsensitiveMultiMap().add("x-echo-status", "abc"),
            "");

    assertThat(reply.status).isEqualTo(400);
    assertThat(reply.body).isEqualTo("x-echo-status: abc (expected: an integer from 200 to 599)");
  }

  @Test
  void respondWithReplacesTheEchoAndStillCountsRequests() throws Exception {
    int before = echo.requestCount();
    echo.respondWith(request -> request.response().setStatusCode(418).end("teapot"));

    Reply reply =
        send(http1, echo.port(), HttpMethod.GET, "/tea", MultiMap.caseInsensitiveMultiMap(), "");

    assertThat(reply.status).isEqualTo(418);
    assertThat(reply.body).isEqualTo("teapot");
    assertThat(echo.requestCount()).isEqualTo(before + 1);
  }

  @Test
  void tlsUpstreamNegotiatesH2ByAlpnAndIsTrustedWithItsOwnCertificate() throws Exception {
    HttpClientAgent tls =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setTrustOptions(secure.trustOptions()));

    Reply reply =
        send(
            tls,
            "localhost",
            secure.port(),
            HttpMethod.GET,
            "/secure",
            MultiMap.caseInsensitiveMultiMap(),
            "");

    assertThat(secure.url()).isEqualTo("https://127.0.0.1:" + secure.port());
    assertThat(reply.version).isEqualTo(HttpVersion.HTTP_2);
    JsonObject body = reply.json();
    assertThat(body.getString("server")).isEqualTo("secure");
    assertThat(body.getString("scheme")).isEqualTo("https");
    assertThat(body.getBoolean("tls")).isTrue();
    assertThat(body.getString("version")).isEqualTo("HTTP/2");
  }

  @Test
  void stopRefusesConnectionsAndStartListensOnTheSamePort() throws Exception {
    int port = echo.port();

    echo.stop();
    assertThatThrownBy(
            () -> send(http1, port, HttpMethod.GET, "/", MultiMap.caseInsensitiveMultiMap(), ""))
        .hasMessageContaining("Connection refused");

    echo.start();
    assertThat(echo.port()).isEqualTo(port);
    assertThat(
            send(http1, port, HttpMethod.GET, "/", MultiMap.caseInsensitiveMultiMap(), "").status)
        .isEqualTo(200);
  }

  private static List<List<String>> headerPairs(JsonObject body) {
    JsonArray headers = body.getJsonArray("headers");
    return headers.stream()
        .map(h -> ((JsonArray) h).stream().map(Object::toString).collect(Collectors.toList()))
        .collect(Collectors.toList());
  }

  private static Reply send(
      HttpClientAgent client,
      int port,
      HttpMethod method,
      String uri,
      MultiMap headers,
      String body)
      throws Exception {
    return send(client, "127.0.0.1", port, method, uri, headers, body);
  }

  private static Reply send(
      HttpClientAgent client,
      String host,
      int port,
      HttpMethod method,
      String uri,
      MultiMap headers,
      String body)
      throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(host)
            .setPort(port)
            .setURI(uri)
            .setHeaders(headers);
    Future<Reply> reply =
        client
            .request(options)
            .compose(request -> request.send(body))
            .compose(response -> response.body().map(b -> new Reply(response, b.toString())));
    return reply.await(10, TimeUnit.SECONDS);
  }

  private static final class Reply {
    final int status;
    final HttpVersion version;
    final MultiMap headers;
    final String body;

    Reply(HttpClientResponse response, String body) {
      this.status = response.statusCode();
      this.version = response.version();
      this.headers = response.headers();
      this.body = body;
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
