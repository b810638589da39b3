package dev.gatehouse.authz.policy;

/**
 * An Edge Stack glob for FilterPolicy hosts and paths: {@code *} matches any run of characters
 * (slashes and dots included), everything else matches itself. Hosts compare case-insensitively.
 */
public final class Glob {
  private final String pattern;
  private final boolean ignoreCase;
  private final boolean matchesAll;

  private Glob(String pattern, boolean ignoreCase) {
    this.pattern = ignoreCase ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
    this.ignoreCase = ignoreCase;
    this.matchesAll = pattern.equals("*");
  }

  public static Glob host(String pattern) {
    return new Glob(pattern, true);
  }

  public static Glob path(String pattern) {
    return new Glob(pattern, false);
  }

  public boolean matches(String text) {
    if (matchesAll) {
      return true;
    }
    String subject = ignoreCase ? text.toLowerCase(java.util.Locale.ROOT) : text;
    // Linear wildcard matching with one backtrack point: no regex, no exponential blow-up.
    int p = 0;
    int s = 0;
    int star = -1;
    int resume = 0;
    while (s < subject.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = s;
      } else if (p < pattern.length() && pattern.charAt(p) == subject.charAt(s)) {
        p++;
        s++;
      } else if (star >= 0) {
        p = star + 1;
        s = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
