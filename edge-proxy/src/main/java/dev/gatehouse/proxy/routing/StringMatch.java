package dev.gatehouse.proxy.routing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Locale;
import java.util.function.Predicate;

/** A compiled Envoy {@code StringMatcher}: exact, prefix, suffix, contains or RE2 full match. */
public final class StringMatch implements Predicate<String> {
  private final Predicate<String> test;

  private StringMatch(Predicate<String> test) {
    this.test = test;
  }

  public static StringMatch compile(StringMatcher matcher, String where) {
    boolean ignoreCase = matcher.getIgnoreCase();
    return switch (matcher.getMatchPatternCase()) {
      case EXACT -> literal(matcher.getExact(), ignoreCase, String::equals);
      case PREFIX -> literal(matcher.getPrefix(), ignoreCase, String::startsWith);
      case SUFFIX -> literal(matcher.getSuffix(), ignoreCase, String::endsWith);
      case CONTAINS -> literal(matcher.getContains(), ignoreCase, String::contains);
      case SAFE_REGEX -> regex(matcher.getSafeRegex().getRegex(), where);
      default ->
          throw new XdsException(
              where + ": string match " + matcher.getMatchPatternCase() + " is not supported");
    };
  }

  /** An RE2 pattern that must match the whole value, as Envoy's safe_regex does. */
  public static StringMatch regex(String regex, String where) {
    Pattern pattern = compileRegex(regex, where);
    return new StringMatch(value -> pattern.matches(value));
  }

  static Pattern compileRegex(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new XdsException(
          where + ": regex \"" + regex + "\" does not compile: " + e.getDescription());
    }
  }

  private interface Comparison {
    boolean test(String value, String expected);
  }

  private static StringMatch literal(String expected, boolean ignoreCase, Comparison comparison) {
    if (!ignoreCase) {
      return new StringMatch(value -> comparison.test(value, expected));
    }
    String lower = expected.toLowerCase(Locale.ROOT);
    return new StringMatch(value -> comparison.test(value.toLowerCase(Locale.ROOT), lower));
  }

  @Override
  public boolean test(String value) {
    return test.test(value);
  }
}
