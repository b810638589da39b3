package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests a proxy must not pass on: answered 400 by the edge, never seen by the upstream. */
class MalformedRequestsIT {
  @RegisterExtension static EchoUpstream quote = new EchoUpstream("quote");
  @TempDir static Path dir;
  private static EdgeStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new EdgeStack(dir);
    stack.write(
        "quote.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: quote}
        spec:
          prefix: /
          service: 127.0.0.1:%d
        """
            .formatted(quote.port()));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/").status() == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  /**
   * Sends raw bytes and returns the status line of the answer (or "" when the edge just closed).
   */
  /**
   * Sends pipelined requests on one connection and returns the status lines of the first {@code
   * count} answers, keeping the connection open until they have all come (closing it earlier would
   * let the edge drop the requests still queued behind the first, as a server may).
   */
  private static java.util.List<String> rawStatuses(String requests, int count) throws Exception {
    // A status line can follow a body without a line break, so look for it anywhere.
    java.util.regex.Pattern status = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3}[^\\r]*");
    StringBuilder received = new StringBuilder();
    java.util.List<String> statuses = new java.util.ArrayList<>();
    try (Socket socket = new Socket("127.0.0.1", stack.httpPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int read;
      while (statuses.size() < count && (read = in.read(buffer)) != -1) {
        received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
        statuses.clear();
        java.util.regex.Matcher matcher = status.matcher(received);
        while (matcher.find()) {
          statuses.add(matcher.group());
        }
      }
    }
    return statuses;
  }

  private static String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", stack.httpPort)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.append((char) c);
      }
      return line.toString().strip();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Two different Content-Lengths.
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
        // A header name with a space.
        "GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n",
        // A control character in a header value.
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n",
        // Not an origin-form target.
        "GET nopath HTTP/1.1\r\nHost: a\r\n\r\n"
      })
  void ambiguousOrInvalidRequestsGet400AndNeverReachTheUpstream(String request) throws Exception {
    int before = quote.requestCount();

    String status = raw(request);

    assertThat(status).startsWith("HTTP/1.1 400");
    assertThat(quote.requestCount()).isEqualTo(before);
  }

  @Test
  void contentLengthWithTransferEncodingIsFramedByChunkedAndReframedUpstream() throws Exception {
    // The smuggling shape (RFC 9112 6.1): the edge frames by chunked encoding, as the upstream
    // then must too, since the edge sends its own framing; the two hops cannot disagree.
    quote.respondWith(null);
    java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    quote.respondWith(
        request ->
            request
                .body()
                .onSuccess(
                    body -> {
                      bodies.add(request.method() + " " + request.uri() + " [" + body + "]");
                      request.response().end("ok");
                    }));
    try {
      assertThat(
              rawStatuses(
                  "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\nTransfer-Encoding:"
                      + " chunked\r\n\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n",
                  2))
          .containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
      await().atMost(Duration.ofSeconds(5)).until(() -> bodies.size() == 2);
      assertThat(bodies).containsExactly("POST /a []", "GET /b []");
    } finally {
      quote.respondWith(null);
    }
  }

  @Test
  void headersOverTheLimitGet431() throws Exception {
    String big = "x".repeat(70 * 1024);

    String status = raw("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n");

    assertThat(status).matches("HTTP/1.1 (431|400).*");
  }

  @Test
  void slashesAreMergedOnlyWhenTheModuleSaysSo() throws Exception {
    assertThat(stack.get("//double//slash").echo().getString("path")).isEqualTo("//double//slash");
  }
}
