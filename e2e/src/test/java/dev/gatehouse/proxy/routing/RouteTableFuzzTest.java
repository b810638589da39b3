package dev.gatehouse.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.BoolValue;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes route matching ({@link RouteTable#match}). Against a fixed table, every request is matched
 * as a small independent model of Envoy's rules says (virtual host by exact, longest suffix,
 * longest prefix wildcard, then {@code *}; the first route whose path and exact header conditions
 * hold); against random tables built from fuzz data, compiling either succeeds or is an {@link
 * XdsException} (a NACK), and a matched route's path condition holds. Seeds: {@code
 * RouteTableFuzzTestInputs/} in the test resources, one request per file: method, authority and
 * path on the first three lines, then {@code name:value} headers.
 */
class RouteTableFuzzTest {
  private static final RouteConfiguration FIXED =
      RouteConfiguration.newBuilder()
          .setName("fixed")
          .addVirtualHosts(
              VirtualHost.newBuilder()
                  .setName("api")
                  .addDomains("api.example.com")
                  .addRoutes(route("r-exact", RouteMatch.newBuilder().setPath("/exact")))
                  .addRoutes(
                      route(
                          "r-canary",
                          RouteMatch.newBuilder()
                              .setPrefix("/api/")
                              .addHeaders(exact("x-canary", "true"))))
                  .addRoutes(
                      route(
                          "r-post",
                          RouteMatch.newBuilder()
                              .setPrefix("/api/")
                              .addHeaders(exact(":method", "POST"))))
                  .addRoutes(
                      route(
                          "r-v2",
                          RouteMatch.newBuilder()
                              .setPrefix("/API/v2/")
                              .setCaseSensitive(BoolValue.of(false))))
                  .addRoutes(
                      route(
                          "r-item",
                          RouteMatch.newBuilder()
                              .setSafeRegex(RegexMatcher.newBuilder().setRegex("/items/[0-9]+"))))
                  .addRoutes(route("r-api", RouteMatch.newBuilder().setPrefix("/api/"))))
          .addVirtualHosts(
              VirtualHost.newBuilder()
                  .setName("wild")
                  .addDomains("*.example.com")
                  .addRoutes(
                      route(
                          "r-admin",
                          RouteMatch.newBuilder()
                              .setPrefix("/")
                              .addHeaders(exact("x-user", "admin"))))
                  .addRoutes(route("r-wild", RouteMatch.newBuilder().setPrefix("/"))))
          .addVirtualHosts(
              VirtualHost.newBuilder()
                  .setName("longer-wild")
                  .addDomains("*.v1.example.com")
                  .addRoutes(route("r-v1", RouteMatch.newBuilder().setPrefix("/"))))
          .addVirtualHosts(
              VirtualHost.newBuilder()
                  .setName("pre")
                  .addDomains("static.*")
                  .addRoutes(route("r-static", RouteMatch.newBuilder().setPrefix("/s"))))
          .addVirtualHosts(
              VirtualHost.newBuilder()
                  .setName("any")
                  .addDomains("*")
                  .addRoutes(route("r-root", RouteMatch.newBuilder().setPath("/")))
                  .addRoutes(route("r-public", RouteMatch.newBuilder().setPrefix("/public/"))))
          .build();
  private static final RouteTable TABLE = RouteTable.compile(FIXED);

  /**
   * A fuzzing finding (corpus entry a-colon-after-the-last-bracket-is-not-a-port): the port was cut
   * at the last colon whenever any ']' came before it, so "x:]y:]z.v1.example.com" lost its tail
   * and matched the catch-all host. Only a colon after the last ']' starts a port.
   */
  @Test
  void aColonBeforeTheLastBracketDoesNotStartAPort() {
    RouteRequest request =
        new RouteRequest(
            "GET", "x:]y:]z.v1.example.com", "/", io.vertx.core.MultiMap.caseInsensitiveMultiMap());

    assertThat(TABLE.match(request).map(m -> m.route().name())).contains("r-v1");
    assertThat(EnvoyModel.match(FIXED, request)).contains("r-v1");
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "api.example.com",
    ".example.com",
    "static.",
    ".v1.example.com",
    "/api/",
    "/API/v2/",
    "/items/",
    "/exact",
    "/public/",
    "x-canary:true",
    "x-user:admin",
    "POST",
    "?",
    ":8080"
  })
  void aRequestMatchesTheFirstRouteEnvoysRulesPick(byte[] input) {
    RouteRequest request = Requests.parse(input);

    Optional<String> matched = TABLE.match(request).map(m -> m.route().name());

    assertThat(matched).isEqualTo(EnvoyModel.match(FIXED, request));
    assertThat(TABLE.match(request).map(m -> m.route().name()))
        .as("deterministic")
        .isEqualTo(matched);
  }

  @FuzzTest(maxDuration = "30s")
  void aRandomTableCompilesOrIsNackedAndMatchesOnlyWhatItsPathAllows(FuzzedDataProvider data) {
    RouteConfiguration config = RandomTables.build(data);
    RouteTable table;
    try {
      table = RouteTable.compile(config);
    } catch (XdsException nack) {
      assertThat(nack.getMessage()).isNotBlank();
      return;
    }
    for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      headers.add(RandomTables.HEADER_NAMES[i % 3], data.consumeString(8));
      RouteRequest request =
          new RouteRequest(
              data.pickValue(new String[] {"GET", "POST", "get"}),
              data.consumeString(24),
              data.consumeString(48),
              headers);
      table
          .match(request)
          .ifPresent(
              m ->
                  assertThat(EnvoyModel.pathHolds(m.route().route().getMatch(), request))
                      .as("%s matched %s", m.route().name(), request)
                      .isTrue());
    }
  }

  static Route route(String name, RouteMatch.Builder match) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(match)
        .setRoute(RouteAction.newBuilder().setCluster("c-" + name))
        .build();
  }

  private static HeaderMatcher exact(String name, String value) {
    return HeaderMatcher.newBuilder()
        .setName(name)
        .setStringMatch(StringMatcher.newBuilder().setExact(value))
        .build();
  }

  /** Requests from seed files: method, authority, path, then {@code name:value} headers. */
  static final class Requests {
    private Requests() {}

    static RouteRequest parse(byte[] input) {
      // Netty reads request lines and headers as ISO-8859-1: every byte is one char.
      String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (int i = 3; i < lines.length; i++) {
        int colon = lines[i].indexOf(':', 1);
        if (colon > 0) {
          headers.add(lines[i].substring(0, colon), lines[i].substring(colon + 1));
        }
      }
      return new RouteRequest(
          lines.length > 0 ? lines[0] : "GET",
          lines.length > 1 ? lines[1] : "",
          lines.length > 2 ? lines[2] : "/",
          headers);
    }
  }
}
