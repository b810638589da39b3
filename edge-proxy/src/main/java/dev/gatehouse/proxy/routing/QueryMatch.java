package dev.gatehouse.proxy.routing;

import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** A compiled Envoy {@code QueryParameterMatcher}: a parameter present, or its value matching. */
public final class QueryMatch {
  private final String name;
  private final Predicate<String> value; // null: presence
  private final String description;

  private QueryMatch(String name, Predicate<String> value, String description) {
    this.name = name;
    this.value = value;
    this.description = description;
  }

  public static QueryMatch compile(QueryParameterMatcher matcher, String where) {
    String at = where + ".query_parameters[" + matcher.getName() + "]";
    Predicate<String> value =
        matcher.hasStringMatch() ? StringMatch.compile(matcher.getStringMatch(), at) : null;
    return new QueryMatch(
        matcher.getName(),
        value,
        "query parameter "
            + matcher.getName()
            + (matcher.hasStringMatch()
                ? " " + com.google.protobuf.TextFormat.shortDebugString(matcher.getStringMatch())
                : " present"));
  }

  /** The condition for people, e.g. {@code query parameter debug present}. */
  @Override
  public String toString() {
    return description;
  }

  public boolean matches(RouteRequest request) {
    String query = request.query();
    if (query.isEmpty()) {
      return false;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (key.equals(name)) {
        // Envoy takes the first occurrence of a repeated parameter.
        return value == null || value.test(equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
    }
    return false;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a malformed escape is compared as written
    }
  }
}
