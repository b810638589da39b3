package dev.gatehouse.authz.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path a FilterPolicy rule is matched against: without the query, percent-encoded unreserved
 * characters decoded, repeated slashes merged and dot segments resolved. Without this, {@code
 * /%61pi/x} or {@code /public/../api/x} would slip past a rule for {@code /api/*} while the
 * upstream still serves {@code /api/x}.
 */
final class PathNormalizer {
  private PathNormalizer() {}

  static String normalize(String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    int hash = path.indexOf('#');
    if (hash >= 0) {
      path = path.substring(0, hash);
    }
    String decoded = decodeUnreserved(path);
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : decoded.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    boolean trailingSlash =
        decoded.endsWith("/") || decoded.endsWith("/.") || decoded.endsWith("/..");
    StringBuilder out = new StringBuilder(decoded.length() + 1);
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    if (out.length() == 0 || trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  private static String decodeUnreserved(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        int value = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
        if (value >= 0 && unreserved((char) value)) {
          out.append((char) value);
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean unreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static int hex(char c) {
    int digit = Character.digit(c, 16);
    return digit < 0 ? -1000 : digit;
  }
}
