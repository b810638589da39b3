package dev.gatehouse.authz.oauth2;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads the Cookie request header and writes Set-Cookie values. */
final class Cookies {
  private Cookies() {}

  /** The value of cookie {@code name} in a Cookie header, or null. */
  static String get(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  /** The Cookie header without the cookies {@code ours} names; null when nothing is left. */
  static String without(String header, Predicate<String> ours) {
    if (header == null) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    for (String part : header.split(";")) {
      String trimmed = part.trim();
      int eq = trimmed.indexOf('=');
      String name = eq < 0 ? trimmed : trimmed.substring(0, eq);
      if (!trimmed.isEmpty() && !ours.test(name)) {
        kept.add(trimmed);
      }
    }
    return kept.isEmpty() ? null : String.join("; ", kept);
  }

  /**
   * A Set-Cookie value: Path=/, SameSite as given, HttpOnly unless the page's script must read it
   * (the XSRF token), Secure on https origins; {@code maxAgeSeconds} negative for a browser-session
   * cookie, 0 to delete.
   */
  static String set(
      String name,
      String value,
      long maxAgeSeconds,
      boolean secure,
      boolean httpOnly,
      String sameSite) {
    StringBuilder out = new StringBuilder(name).append('=').append(value).append("; Path=/");
    if (maxAgeSeconds >= 0) {
      out.append("; Max-Age=").append(maxAgeSeconds);
    }
    if (httpOnly) {
      out.append("; HttpOnly");
    }
    if (secure) {
      out.append("; Secure");
    }
    out.append("; SameSite=").append(sameSite);
    return out.toString();
  }
}
