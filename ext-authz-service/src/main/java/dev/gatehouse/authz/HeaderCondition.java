package dev.gatehouse.authz;

import com.google.re2j.Pattern;
import dev.gatehouse.config.auth.HeaderMatch;
import java.util.Locale;

/**
 * A compiled {@code ifRequestHeader}: the header is present, equals {@code value}, or matches
 * {@code valueRegex} (RE2, whole value), inverted by {@code negate}.
 */
public final class HeaderCondition {
  private final String name;
  private final boolean negate;
  private final String value;
  private final Pattern regex;

  private HeaderCondition(String name, boolean negate, String value, Pattern regex) {
    this.name = name.toLowerCase(Locale.ROOT);
    this.negate = negate;
    this.value = value;
    this.regex = regex;
  }

  /** The condition of a {@code HeaderMatch}; null stays null (no condition). */
  public static HeaderCondition of(HeaderMatch match) {
    if (match == null) {
      return null;
    }
    return new HeaderCondition(
        match.name(),
        Boolean.TRUE.equals(match.negate()),
        match.value(),
        match.valueRegex() == null ? null : Pattern.compile(match.valueRegex()));
  }

  public boolean matches(AuthzRequest request) {
    String actual = request.header(name);
    boolean matched;
    if (actual == null) {
      matched = false;
    } else if (value != null) {
      matched = value.equals(actual);
    } else if (regex != null) {
      matched = regex.matches(actual);
    } else {
      matched = true;
    }
    return matched != negate;
  }

  @Override
  public String toString() {
    return (negate ? "not " : "")
        + name
        + (value != null ? " == " + value : regex != null ? " ~ " + regex.pattern() : " present");
  }
}
