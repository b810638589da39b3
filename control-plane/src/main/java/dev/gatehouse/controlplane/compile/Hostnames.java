package dev.gatehouse.controlplane.compile;

import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and DNS globs ({@code *.example.com}, {@code *}) as Hosts and Mappings write them. */
final class Hostnames {
  private Hostnames() {}

  /** An RE2 (and Java) regex for a glob: {@code *} matches any run of characters. */
  static String toRegex(String glob) {
    StringBuilder out = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '*') {
        out.append(".*");
      } else if ("\\.+?^$()[]{}|".indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether a glob matches a name (or another glob, read literally). */
  static boolean matches(String glob, String name) {
    return glob.equals("*") || Pattern.matches(toRegex(glob), name.toLowerCase(Locale.ROOT));
  }

  /** Whether every request for {@code host} also matches {@code glob}. */
  static boolean covers(String glob, String host) {
    if (glob.equals("*")) {
      return true;
    }
    return !host.equals("*") && matches(glob, host);
  }

  /** Whether two globs can match the same request (a Mapping belongs to a Host's routes). */
  static boolean overlap(String a, String b) {
    return a.equals("*") || b.equals("*") || matches(a, b) || matches(b, a);
  }
}
