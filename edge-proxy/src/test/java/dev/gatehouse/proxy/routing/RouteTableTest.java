package dev.gatehouse.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private static Route route(String name, RouteMatch.Builder match) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(match)
        .setRoute(
            io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                .setCluster("cluster-" + name))
        .build();
  }

  private static RouteMatch.Builder prefix(String prefix) {
    return RouteMatch.newBuilder().setPrefix(prefix);
  }

  private static VirtualHost host(String name, String... domains) {
    return VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(java.util.List.of(domains))
        .addRoutes(route(name + "-all", prefix("/")))
        .build();
  }

  private static RouteRequest get(String authority, String path, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return new RouteRequest("GET", authority, path, map);
  }

  private static Optional<String> routed(RouteTable table, RouteRequest request) {
    return table.match(request).map(m -> m.route().name());
  }

  @Test
  void virtualHostsAreChosenExactThenLongestSuffixThenLongestPrefixThenAny() {
    RouteTable table =
        RouteTable.compile(
            RouteConfiguration.newBuilder()
                .setName("rc")
                .addVirtualHosts(host("any", "*"))
                .addVirtualHosts(host("exact", "api.example.com"))
                .addVirtualHosts(host("suffix", "*.example.com"))
                .addVirtualHosts(host("longer-suffix", "*.api.example.com"))
                .addVirtualHosts(host("prefix", "api.*"))
                .build());

    assertThat(routed(table, get("api.example.com", "/"))).contains("exact-all");
    assertThat(routed(table, get("API.Example.com:8080", "/")))
        .as("case and port")
        .contains("exact-all");
    assertThat(routed(table, get("v1.api.example.com", "/"))).contains("longer-suffix-all");
    assertThat(routed(table, get("www.example.com", "/"))).contains("suffix-all");
    assertThat(routed(table, get("api.example.org", "/"))).contains("prefix-all");
    assertThat(routed(table, get("example.com", "/")))
        .as("*.example.com needs a label")
        .contains("any-all");
  }

  @Test
  void withoutAWildcardHostAnUnknownAuthorityHasNoRoute() {
    RouteTable table =
        RouteTable.compile(
            RouteConfiguration.newBuilder().addVirtualHosts(host("one", "one.example")).build());

    assertThat(table.match(get("two.example", "/"))).isEmpty();
  }

  @Test
  void aDomainListedTwiceIsRejectedAsEnvoyDoes() {
    RouteConfiguration twice =
        RouteConfiguration.newBuilder()
            .setName("rc")
            .addVirtualHosts(host("a", "x.example"))
            .addVirtualHosts(host("b", "x.example"))
            .build();

    assertThatThrownBy(() -> RouteTable.compile(twice))
        .isInstanceOf(XdsException.class)
        .hasMessage(
            "route_configuration rc: virtual_host b: domain \"x.example\" is already used by another virtual host");
  }

  private static RouteTable routes(Route... routes) {
    return RouteTable.compile(
        RouteConfiguration.newBuilder()
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("vh")
                    .addDomains("*")
                    .addAllRoutes(java.util.List.of(routes)))
            .build());
  }

  @Test
  void theFirstMatchingRouteWins() {
    RouteTable table =
        routes(
            route("api", prefix("/api/")),
            route("all", prefix("/")),
            route("never", prefix("/api/v1/")));

    assertThat(routed(table, get("h", "/api/v1/x"))).contains("api");
    assertThat(routed(table, get("h", "/other"))).contains("all");
  }

  @Test
  void pathSpecifiersFollowEnvoy() {
    RouteTable table =
        routes(
            route("exact", RouteMatch.newBuilder().setPath("/exact")),
            route(
                "regex",
                RouteMatch.newBuilder()
                    .setSafeRegex(RegexMatcher.newBuilder().setRegex("/items/[0-9]+"))),
            route("insensitive", prefix("/Case/").setCaseSensitive(BoolValue.of(false))),
            route("segments", RouteMatch.newBuilder().setPathSeparatedPrefix("/seg")));

    assertThat(routed(table, get("h", "/exact?x=1")))
        .as("path ignores the query")
        .contains("exact");
    assertThat(routed(table, get("h", "/exact/more"))).isEmpty();
    assertThat(routed(table, get("h", "/items/42?page=2"))).contains("regex");
    assertThat(routed(table, get("h", "/items/42x")))
        .as("a regex must match the whole path")
        .isEmpty();
    assertThat(routed(table, get("h", "/case/lower"))).contains("insensitive");
    assertThat(routed(table, get("h", "/seg/x"))).contains("segments");
    assertThat(routed(table, get("h", "/seg"))).contains("segments");
    assertThat(routed(table, get("h", "/segment"))).isEmpty();
  }

  @Test
  void headerMatchersFollowEnvoy() {
    RouteTable table =
        routes(
            route(
                "post",
                prefix("/")
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName(":method")
                            .setStringMatch(StringMatcher.newBuilder().setExact("POST")))),
            route(
                "v2",
                prefix("/")
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName("x-version")
                            .setSafeRegexMatch(
                                RegexMatcher.newBuilder().setRegex("v2(\\.[0-9]+)?")))),
            route(
                "no-debug",
                prefix("/")
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName("x-debug")
                            .setPresentMatch(true)
                            .setInvertMatch(true))));

    RouteRequest post = new RouteRequest("POST", "h", "/", MultiMap.caseInsensitiveMultiMap());
    assertThat(routed(table, post)).contains("post");
    assertThat(routed(table, get("h", "/", "X-Version", "v2.1"))).contains("v2");
    assertThat(routed(table, get("h", "/", "x-version", "v3"))).contains("no-debug");
    assertThat(routed(table, get("h", "/", "x-debug", "1"))).isEmpty();
  }

  @Test
  void aMissingHeaderNeverMatchesAValueMatcherEvenInverted() {
    RouteTable table =
        routes(
            route(
                "not-acme",
                prefix("/")
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName("x-tenant")
                            .setStringMatch(StringMatcher.newBuilder().setExact("acme"))
                            .setInvertMatch(true))));

    assertThat(routed(table, get("h", "/", "x-tenant", "other"))).contains("not-acme");
    assertThat(routed(table, get("h", "/", "x-tenant", "acme"))).isEmpty();
    assertThat(routed(table, get("h", "/"))).isEmpty();
  }

  @Test
  void severalValuesOfAHeaderAreMatchedJoinedWithCommas() {
    RouteTable table =
        routes(
            route(
                "both",
                prefix("/")
                    .addHeaders(
                        HeaderMatcher.newBuilder()
                            .setName("x-a")
                            .setStringMatch(StringMatcher.newBuilder().setExact("1,2")))));

    assertThat(routed(table, get("h", "/", "x-a", "1", "x-a", "2"))).contains("both");
  }

  @Test
  void queryParameterMatchers() {
    RouteTable table =
        routes(
            route(
                "debug",
                prefix("/")
                    .addQueryParameters(
                        QueryParameterMatcher.newBuilder().setName("debug").setPresentMatch(true))),
            route(
                "page",
                prefix("/")
                    .addQueryParameters(
                        QueryParameterMatcher.newBuilder()
                            .setName("page")
                            .setStringMatch(
                                StringMatcher.newBuilder()
                                    .setSafeRegex(RegexMatcher.newBuilder().setRegex("[0-9]+"))))));

    assertThat(routed(table, get("h", "/?debug"))).contains("debug");
    assertThat(routed(table, get("h", "/?a=b&page=12"))).contains("page");
    assertThat(routed(table, get("h", "/?page=twelve"))).isEmpty();
    assertThat(routed(table, get("h", "/?pag%65=3"))).as("names are decoded").contains("page");
  }

  @Test
  void aRegexThatDoesNotCompileIsAnXdsErrorNamingTheRoute() {
    assertThatThrownBy(
            () ->
                routes(
                    route(
                        "bad",
                        RouteMatch.newBuilder()
                            .setSafeRegex(RegexMatcher.newBuilder().setRegex("(")))))
        .isInstanceOf(XdsException.class)
        .hasMessageStartingWith(
            "route_configuration : virtual_host vh: route bad.match.safe_regex: regex \"(\" does not compile");
  }
}
