package dev.gatehouse.proxy.routing;

import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import java.util.List;
import java.util.function.Predicate;

/**
 * A compiled Envoy {@code HeaderMatcher}. As in Envoy, several values of one header are matched
 * joined with ","; a missing header never matches a value matcher (unless {@code
 * treat_missing_header_as_empty}), and {@code invert_match} inverts only a present header's result
 * or a presence check.
 */
public final class HeaderMatch {
  private final String name;
  private final Predicate<String> value; // null for a presence check
  private final boolean presentMatch;
  private final boolean invert;
  private final boolean missingAsEmpty;

  private HeaderMatch(
      String name,
      Predicate<String> value,
      boolean presentMatch,
      boolean invert,
      boolean missingAsEmpty) {
    this.name = name;
    this.value = value;
    this.presentMatch = presentMatch;
    this.invert = invert;
    this.missingAsEmpty = missingAsEmpty;
  }

  public static HeaderMatch compile(HeaderMatcher matcher, String where) {
    String at = where + ".headers[" + matcher.getName() + "]";
    Predicate<String> value =
        switch (matcher.getHeaderMatchSpecifierCase()) {
          case STRING_MATCH -> StringMatch.compile(matcher.getStringMatch(), at);
          case EXACT_MATCH -> matcher.getExactMatch()::equals;
          case PREFIX_MATCH -> v -> v.startsWith(matcher.getPrefixMatch());
          case SUFFIX_MATCH -> v -> v.endsWith(matcher.getSuffixMatch());
          case CONTAINS_MATCH -> v -> v.contains(matcher.getContainsMatch());
          case SAFE_REGEX_MATCH -> StringMatch.regex(matcher.getSafeRegexMatch().getRegex(), at);
          case RANGE_MATCH ->
              range(matcher.getRangeMatch().getStart(), matcher.getRangeMatch().getEnd());
          case PRESENT_MATCH, HEADERMATCHSPECIFIER_NOT_SET -> null;
        };
    if (matcher.getName().isEmpty()) {
      throw new XdsException(where + ".headers: a header matcher without a name");
    }
    boolean presentMatch =
        matcher.getHeaderMatchSpecifierCase()
                != HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
            || matcher.getPresentMatch();
    return new HeaderMatch(
        matcher.getName().toLowerCase(java.util.Locale.ROOT),
        value,
        presentMatch,
        matcher.getInvertMatch(),
        matcher.getTreatMissingHeaderAsEmpty());
  }

  private static Predicate<String> range(long start, long end) {
    return v -> {
      try {
        long number = Long.parseLong(v);
        return number >= start && number < end;
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  public boolean matches(RouteRequest request) {
    List<String> values = request.header(name);
    if (value == null) {
      return (!values.isEmpty() == presentMatch) != invert;
    }
    if (values.isEmpty()) {
      return missingAsEmpty && (value.test("") != invert);
    }
    String joined = values.size() == 1 ? values.get(0) : String.join(",", values);
    return value.test(joined) != invert;
  }
}
