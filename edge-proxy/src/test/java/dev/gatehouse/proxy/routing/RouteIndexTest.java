package dev.gatehouse.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RouteIndexTest {
  private static final List<String> SEGMENTS = List.of("a", "ab", "b", "A", "a?b", "");
  private static final List<String> PATHS =
      List.of(
          "/",
          "/a",
          "/a/",
          "/a/b",
          "/a/b/c",
          "/ab",
          "/ab/x",
          "/A/b",
          "/b",
          "/b/a?x=1",
          "/a?b",
          "/a?b/c",
          "//a",
          "/abc",
          "*",
          "");

  private static List<String> directory(RouteMatch.Builder match) {
    return RouteIndex.requiredDirectory(match.build());
  }

  @Test
  void routesAreFiledUnderTheDirectoriesTheirLiteralRequires() {
    assertThat(directory(RouteMatch.newBuilder().setPrefix("/api/v1/")))
        .containsExactly("api", "v1");
    assertThat(directory(RouteMatch.newBuilder().setPrefix("/api/v1"))).containsExactly("api");
    assertThat(directory(RouteMatch.newBuilder().setPrefix("/api"))).isEmpty();
    assertThat(directory(RouteMatch.newBuilder().setPrefix("/"))).isEmpty();
    assertThat(directory(RouteMatch.newBuilder().setPath("/a/b"))).containsExactly("a");
    assertThat(directory(RouteMatch.newBuilder().setPathSeparatedPrefix("/a/b")))
        .containsExactly("a");
    assertThat(
            directory(
                RouteMatch.newBuilder().setPrefix("/a/").setCaseSensitive(BoolValue.of(false))))
        .isNull();
    assertThat(directory(RouteMatch.newBuilder().setPrefix("/a?b/")))
        .as("the query starts inside it")
        .isNull();
    assertThat(directory(RouteMatch.newBuilder().setPrefix(""))).isNull();
    assertThat(
            directory(
                RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("/a/.*"))))
        .isNull();
  }

  /**
   * Many random route sets mixing every kind of path match: the index must pick exactly the route
   * that Envoy's rule, the first matching route in order, picks.
   */
  @Test
  void theIndexPicksTheSameRouteAsAScanInOrder() {
    Random random = new Random(20261127);
    for (int round = 0; round < 1000; round++) {
      VirtualHost.Builder host = VirtualHost.newBuilder().setName("h").addDomains("*");
      int count = 1 + random.nextInt(30);
      for (int i = 0; i < count; i++) {
        host.addRoutes(randomRoute(random, "r" + i));
      }
      RouteTable table =
          RouteTable.compile(
              RouteConfiguration.newBuilder().setName("rc").addVirtualHosts(host).build());
      List<CompiledRoute> inOrder = table.hosts().get(0).routes();
      for (String path : PATHS) {
        RouteRequest request =
            new RouteRequest("GET", "example.com", path, MultiMap.caseInsensitiveMultiMap());
        String scanned =
            inOrder.stream()
                .filter(route -> route.matches(request))
                .findFirst()
                .map(CompiledRoute::name)
                .orElse(null);
        String indexed = table.match(request).map(match -> match.route().name()).orElse(null);
        assertThat(indexed)
            .as("round %d, path %s, routes %s", round, path, host)
            .isEqualTo(scanned);
      }
    }
  }

  private static Route randomRoute(Random random, String name) {
    String segment = SEGMENTS.get(random.nextInt(SEGMENTS.size()));
    List<Supplier<RouteMatch.Builder>> kinds = new ArrayList<>();
    kinds.add(() -> RouteMatch.newBuilder().setPrefix("/" + segment + "/"));
    kinds.add(() -> RouteMatch.newBuilder().setPrefix("/" + segment));
    kinds.add(() -> RouteMatch.newBuilder().setPrefix("/" + segment + "/b"));
    kinds.add(() -> RouteMatch.newBuilder().setPrefix("/"));
    kinds.add(() -> RouteMatch.newBuilder().setPath("/" + segment));
    kinds.add(() -> RouteMatch.newBuilder().setPath("/" + segment + "/b"));
    kinds.add(() -> RouteMatch.newBuilder().setPathSeparatedPrefix("/" + segment));
    kinds.add(
        () ->
            RouteMatch.newBuilder()
                .setPrefix("/" + segment + "/")
                .setCaseSensitive(BoolValue.of(false)));
    kinds.add(
        () ->
            RouteMatch.newBuilder()
                .setSafeRegex(RegexMatcher.newBuilder().setRegex("/" + segment + ".*")));
    RouteMatch.Builder match = kinds.get(random.nextInt(kinds.size())).get();
    return Route.newBuilder()
        .setName(name)
        .setMatch(match)
        .setRoute(RouteAction.newBuilder().setCluster("c"))
        .build();
  }
}
