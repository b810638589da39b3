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
  private final String description;

  private HeaderMatch(
      String name,
      Predicate<String> value,
      boolean presentMatch,
      boolean invert,
      boolean missingAsEmpty,
      String description) {
    this.name = name;
    this.description = description;
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
        matcher.getTreatMissingHeaderAsEmpty(),
        describe(matcher));
  }

  private static String describe(HeaderMatcher matcher) {
    String condition =
        switch (matcher.getHeaderMatchSpecifierCase()) {
          case STRING_MATCH -> describe(matcher.getStringMatch());
          case EXACT_MATCH -> "== \"" + matcher.getExactMatch() + "\"";
          case PREFIX_MATCH -> "starts with \"" + matcher.getPrefixMatch() + "\"";
          case SUFFIX_MATCH -> "ends with \"" + matcher.getSuffixMatch() + "\"";
          case CONTAINS_MATCH -> "contains \"" + matcher.getContainsMatch() + "\"";
          case SAFE_REGEX_MATCH -> "~ " + matcher.getSafeRegexMatch().getRegex();
          case RANGE_MATCH ->
              "in ["
                  + matcher.getRangeMatch().getStart()
                  + ", "
                  + matcher.getRangeMatch().getEnd()
                  + ")";
          case PRESENT_MATCH, HEADERMATCHSPECIFIER_NOT_SET ->
              matcher.getHeaderMatchSpecifierCase()
                          == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
                      && !matcher.getPresentMatch()
                  ? "absent"
                  : "present";
        };
    return "header "
        + matcher.getName()
        + " "
        + (matcher.getInvertMatch() ? "not " : "")
        + condition;
  }

  private static String describe(io.envoyproxy.envoy.type.matcher.v3.StringMatcher matcher) {
    String text =
        switch (matcher.getMatchPatternCase()) {
          case EXACT -> "== \"" + matcher.getExact() + "\"";
          case PREFIX -> "starts with \"" + matcher.getPrefix() + "\"";
          case SUFFIX -> "ends with \"" + matcher.getSuffix() + "\"";
          case CONTAINS -> "contains \"" + matcher.getContains() + "\"";
          case SAFE_REGEX -> "~ " + matcher.getSafeRegex().getRegex();
          default -> com.google.protobuf.TextFormat.shortDebugString(matcher);
        };
    return matcher.getIgnoreCase() ? text + " (ignoring case)" : text;
  }

  /** The header's name, lower case. */
  public String name() {
    return name;
  }

  /** The condition for people, e.g. {@code header x-env == "prod"}. */
  @Override
  public String toString() {
    return description;
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
