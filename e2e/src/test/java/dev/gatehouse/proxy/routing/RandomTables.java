package dev.gatehouse.proxy.routing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/** Route configurations built from fuzz data: hosts, domains, path and header conditions. */
final class RandomTables {
  static final String[] HEADER_NAMES = {"x-a", ":method", "x-b"};
  private static final String[] DOMAINS = {"*", "a.example.com", "*.example.com", "static.*"};

  private RandomTables() {}

  static RouteConfiguration build(FuzzedDataProvider data) {
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName("random");
    int hosts = data.consumeInt(1, 3);
    for (int h = 0; h < hosts; h++) {
      VirtualHost.Builder host = VirtualHost.newBuilder().setName("h" + h);
      int domains = data.consumeInt(1, 2);
      for (int d = 0; d < domains; d++) {
        host.addDomains(
            data.consumeBoolean() ? data.pickValue(DOMAINS) : data.consumeAsciiString(12));
      }
      int routes = data.consumeInt(1, 4);
      for (int r = 0; r < routes; r++) {
        host.addRoutes(RouteTableFuzzTest.route("h" + h + "r" + r, match(data)));
      }
      config.addVirtualHosts(host);
    }
    return config.build();
  }

  private static RouteMatch.Builder match(FuzzedDataProvider data) {
    RouteMatch.Builder match = RouteMatch.newBuilder();
    String value = data.consumeAsciiString(12);
    switch (data.consumeInt(0, 3)) {
      case 0 -> match.setPrefix(value);
      case 1 -> match.setPath(value);
      case 2 -> match.setSafeRegex(RegexMatcher.newBuilder().setRegex(value));
      default -> match.setPathSeparatedPrefix(value);
    }
    if (data.consumeBoolean()) {
      match.setCaseSensitive(BoolValue.of(data.consumeBoolean()));
    }
    int headers = data.consumeInt(0, 2);
    for (int i = 0; i < headers; i++) {
      HeaderMatcher.Builder header =
          HeaderMatcher.newBuilder()
              .setName(data.pickValue(HEADER_NAMES))
              .setInvertMatch(data.consumeBoolean());
      String expected = data.consumeAsciiString(6);
      switch (data.consumeInt(0, 5)) {
        case 0 -> header.setStringMatch(StringMatcher.newBuilder().setExact(expected));
        case 1 -> header.setStringMatch(StringMatcher.newBuilder().setPrefix(expected));
        case 2 -> header.setStringMatch(StringMatcher.newBuilder().setSuffix(expected));
        case 3 -> header.setStringMatch(StringMatcher.newBuilder().setContains(expected));
        case 4 ->
            header.setStringMatch(
                StringMatcher.newBuilder()
                    .setSafeRegex(RegexMatcher.newBuilder().setRegex(expected)));
        default -> header.setPresentMatch(data.consumeBoolean());
      }
      match.addHeaders(header);
    }
    return match;
  }
}
