package dev.gatehouse.proxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what edge-proxy does to a request before routing it ({@code ProxyHandler.accept}): the
 * request-target check and normalization ({@link Paths}, whose null is the 400), lower-cased header
 * names, X-Forwarded-For / X-Forwarded-Proto / x-request-id ({@link Forwarding}) and hop-by-hop
 * removal ({@link HopByHop}), in the order {@code accept} runs them, under five listener settings.
 * Seeds: {@code RequestChecksFuzzTestInputs/} in the test resources, one request per file: the
 * target on the first line, then {@code name: value} headers.
 */
class RequestChecksFuzzTest {
  private static final String PEER = "192.0.2.7";
  private static final List<ListenerSettings> LISTENERS =
      List.of(
          listener(true, 0, true, true, false),
          listener(true, 1, false, false, false),
          listener(false, 0, true, false, false),
          listener(false, 2, false, true, false),
          listener(false, 1, true, true, true));

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "/./",
    "/../",
    "//",
    "%2e",
    "?",
    "#",
    "\\x0aconnection: ",
    "\\x0ax-forwarded-for: ",
    "\\x0ax-request-id: ",
    "\\x0ax-envoy-original-path: ",
    "\\x0ate: trailers",
    "\\x0aupgrade: websocket",
    "keep-alive",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-request-id",
    "X-Envoy-"
  })
  void acceptedRequestsAreNormalizedAndCarryTheEdgesOwnHeaders(byte[] input) {
    String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1);
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':', 1);
      if (colon > 0) {
        received.add(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip());
      }
    }
    for (ListenerSettings listener : LISTENERS) {
      checkTarget(lines[0], listener);
      checkHeaders(received, listener);
    }
  }

  /** Found by this fuzz test: a client's Connection header removed the edge's own headers. */
  @Test
  void aConnectionHeaderCannotRemoveTheHeadersTheEdgeSets() {
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    received.add("Connection", "x-request-id, x-forwarded-for, x-forwarded-proto");
    received.add("X-Forwarded-For", "10.1.1.1");

    for (ListenerSettings listener : LISTENERS) {
      checkHeaders(received, listener);
    }
  }

  /** Found by this fuzz test: an empty X-Forwarded-Proto was forwarded as it came. */
  @Test
  void anEmptyForwardedProtoOrRequestIdIsReplacedByTheEdgesOwn() {
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    received.add("X-Forwarded-Proto", "");
    received.add("X-Request-Id", " ");

    for (ListenerSettings listener : LISTENERS) {
      checkHeaders(received, listener);
    }
  }

  private static void checkTarget(String target, ListenerSettings listener) {
    String path = Paths.normalize(target, listener.mergeSlashes(), listener.normalizePath());
    if (path == null) {
      return; // answered 400
    }
    assertThat(path).startsWith("/");
    int query = path.indexOf('?');
    String pathPart = query < 0 ? path : path.substring(0, query);
    assertThat(pathPart.chars()).noneMatch(c -> c <= 0x20 || c == 0x7f || c == '#');
    assertThat(query < 0 ? "" : path.substring(query))
        .as("the query is never touched")
        .isEqualTo(target.indexOf('?') < 0 ? "" : target.substring(target.indexOf('?')));
    if (listener.mergeSlashes()) {
      assertThat(pathPart).doesNotContain("//");
    }
    if (listener.normalizePath()) {
      assertThat(List.of(pathPart.split("/", -1))).doesNotContain(".", "..");
    }
    assertThat(Paths.normalize(path, listener.mergeSlashes(), listener.normalizePath()))
        .as("normalizing twice changes nothing")
        .isEqualTo(path);
  }

  private static void checkHeaders(MultiMap received, ListenerSettings listener) {
    // As ProxyHandler.accept runs them.
    MultiMap headers = Headers.lowerCased(received);
    boolean upgrade = headers.contains("upgrade");
    HopByHop.strip(headers, upgrade);
    String client = Forwarding.clientAddress(headers, PEER, listener);
    Forwarding.apply(headers, PEER, listener.tls(), listener);

    assertThat(client).isNotNull();
    for (String name : headers.names()) {
      assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT));
      assertThat(name).isNotIn("keep-alive", "proxy-connection", "transfer-encoding", "trailer");
    }
    if (!upgrade) {
      assertThat(headers.names()).doesNotContain("connection");
    }
    if (headers.contains("te")) {
      assertThat(headers.get("te")).isEqualTo("trailers");
    }
    assertThat(headers.get("x-request-id")).as("x-request-id").isNotBlank();
    assertThat(headers.get("x-forwarded-proto")).as("x-forwarded-proto").isNotBlank();
    if (listener.useRemoteAddress()) {
      assertThat(headers.names()).noneMatch(n -> n.startsWith("x-envoy-"));
      String xff = headers.get("x-forwarded-for");
      assertThat(xff).as("x-forwarded-for").isNotNull();
      assertThat(xff.endsWith(PEER)).as("x-forwarded-for ends with the peer: " + xff).isTrue();
    }
  }

  private static ListenerSettings listener(
      boolean useRemoteAddress,
      int trustedHops,
      boolean mergeSlashes,
      boolean normalizePath,
      boolean preserveRequestId) {
    return new ListenerSettings(
        "fuzz",
        false,
        "routes",
        useRemoteAddress,
        trustedHops,
        mergeSlashes,
        normalizePath,
        "",
        preserveRequestId,
        null,
        null,
        false);
  }
}
