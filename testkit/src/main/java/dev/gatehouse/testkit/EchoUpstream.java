package dev.gatehouse.testkit;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for proxy tests: a Vert.x HTTP server on 127.0.0.1 (HTTP/1.1 and h2c on one port, or
 * TLS with ALPN h2 and http/1.1) that answers every request with JSON describing what it received:
 *
 * <pre>{@code
 * {"server": "NAME", "method": "POST", "path": "/a?b=c", "version": "HTTP/1.1", "scheme": "http",
 *  "authority": "127.0.0.1:PORT", "headers": [["host", "..."], ...], "body": "...",
 *  "remoteAddress": "127.0.0.1:54321", "tls": false}
 * }</pre>
 *
 * <p>Request headers steer the answer: {@code x-echo-status: 503}, {@code x-echo-delay-ms: 250} and
 * {@code x-echo-header: Name: Value} (repeatable). Every response carries {@code x-echo-server:
 * NAME}. {@link #respondWith(Handler)} replaces the echo altogether.
 */
public final class EchoUpstream extends ServerExtension {

  private static final String HOST = "127.0.0.1";
  private static final long TIMEOUT_SECONDS = 30;

  private final String name;
  private final boolean tls;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Handler<HttpServerRequest> override;
  private Vertx vertx;
  private SelfSignedCertificate certificate;
  private HttpServer server;
  private int port;

  /** A plain-text upstream named {@code echo}. */
  public EchoUpstream() {
    this("echo");
  }

  /** A plain-text (HTTP/1.1 and h2c) upstream that reports {@code name} as its server. */
  public EchoUpstream(String name) {
    this(name, false);
  }

  private EchoUpstream(String name, boolean tls) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: not blank)");
    }
    this.name = name;
    this.tls = tls;
  }

  /**
   * A TLS upstream with a self-signed certificate for {@code localhost}, offering h2 and http/1.1
   * by ALPN. Clients trust it with {@link #trustOptions()} and either connect to {@code localhost}
   * or turn host name verification off (the certificate does not name 127.0.0.1).
   */
  public static EchoUpstream tls(String name) {
    return new EchoUpstream(name, true);
  }

  /** Starts listening (first time on a free port, later on the same one); idempotent. */
  public synchronized EchoUpstream start() {
    if (server != null) {
      return this;
    }
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    HttpServerOptions options = new HttpServerOptions().setHost(HOST).setPort(port);
    if (tls) {
      if (certificate == null) {
        certificate = SelfSignedCertificate.create("localhost");
      }
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions());
    } else {
      options.setHttp2ClearTextEnabled(true);
    }
    server = await(vertx.createHttpServer(options).requestHandler(this::handle).listen());
    port = server.actualPort();
    return this;
  }

  /** Stops listening, so connections are refused; {@link #start()} listens on the same port. */
  public synchronized void stop() {
    if (server != null) {
      HttpServer closing = server;
      server = null;
      await(closing.close());
    }
  }

  /** Stops listening and releases the Vert.x instance and certificate. */
  @Override
  public synchronized void close() {
    stop();
    if (vertx != null) {
      await(vertx.close());
      vertx = null;
    }
    if (certificate != null) {
      certificate.delete();
      certificate = null;
    }
  }

  /** Handles every request with {@code handler} instead of echoing; {@code null} echoes again. */
  public void respondWith(Handler<HttpServerRequest> handler) {
    this.override = handler;
  }

  /** Requests received since start (including those answered by a {@link #respondWith} handler). */
  public int requestCount() {
    return requests.get();
  }

  public String name() {
    return name;
  }

  public boolean isTls() {
    return tls;
  }

  public synchronized int port() {
    if (port == 0) {
      throw new IllegalStateException("echo upstream " + name + ": not started yet");
    }
    return port;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}, no trailing slash. */
  public String url() {
    return (tls ? "https" : "http") + "://" + HOST + ":" + port();
  }

  /** Trust for the self-signed certificate of a TLS upstream. */
  public synchronized PemTrustOptions trustOptions() {
    if (certificate == null) {
      throw new IllegalStateException("echo upstream " + name + ": not a started TLS upstream");
    }
    return certificate.trustOptions();
  }

  @Override
  void startServer() {
    start();
  }

  @Override
  synchronized boolean serverRunning() {
    return server != null;
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    Handler<HttpServerRequest> handler = override;
    if (handler != null) {
      handler.handle(request);
      return;
    }
    request.body().onSuccess(body -> echo(request, body));
  }

  private void echo(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    response.putHeader("x-echo-server", name);
    int status;
    long delayMs;
    try {
      status = intHeader(request, "x-echo-status", 200, 200, 599);
      delayMs = intHeader(request, "x-echo-delay-ms", 0, 0, 600_000);
    } catch (IllegalArgumentException e) {
      response.setStatusCode(400).putHeader("content-type", "text/plain").end(e.getMessage());
      return;
    }
    for (String header : request.headers().getAll("x-echo-header")) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        response
            .headers()
            .add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
      }
    }
    response.setStatusCode(status);
    boolean bodyless = status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
    String json = bodyless ? "" : describe(request, body).encode();
    if (!bodyless) {
      response.putHeader("content-type", "application/json");
    }
    if (delayMs > 0) {
      vertx.setTimer(delayMs, id -> response.end(json));
    } else {
      response.end(json);
    }
  }

  private JsonObject describe(HttpServerRequest request, Buffer body) {
    JsonArray headers = new JsonArray();
    for (Map.Entry<String, String> header : request.headers()) {
      headers.add(new JsonArray().add(header.getKey()).add(header.getValue()));
    }
    return new JsonObject()
        .put("server", name)
        .put("method", request.method().name())
        .put("path", request.uri())
        .put("version", versionName(request))
        .put("scheme", request.scheme())
        .put("authority", request.authority() == null ? null : request.authority().toString())
        .put("headers", headers)
        .put("body", body.toString())
        .put("remoteAddress", request.remoteAddress().toString())
        .put("tls", request.isSSL());
  }

  private static String versionName(HttpServerRequest request) {
    switch (request.version()) {
      case HTTP_1_0:
        return "HTTP/1.0";
      case HTTP_1_1:
        return "HTTP/1.1";
      default:
        return "HTTP/2";
    }
  }

  private static int intHeader(
      HttpServerRequest request, String name, int absent, int min, int max) {
    String value = request.getHeader(name);
    if (value == null) {
      return absent;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // Reported below with the expected range.
    }
    throw new IllegalArgumentException(
        name + ": " + value + " (expected: an integer from " + min + " to " + max + ")");
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "echo upstream: no answer within " + TIMEOUT_SECONDS + "s", e);
    }
  }
}
