package dev.gatehouse.proxy.proxy;

/**
 * Request-target checks and normalization: the path must be origin-form; {@code merge_slashes}
 * folds {@code //}; {@code normalize_path} removes dot segments (RFC 3986 section 5.2.4). The query
 * is never touched.
 */
final class Paths {
  private Paths() {}

  /** The normalized path-and-query, or null when the target is not a valid origin-form path. */
  static String normalize(String target, boolean mergeSlashes, boolean dotSegments) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      return null;
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    String rest = query < 0 ? "" : target.substring(query);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '#') {
        return null; // control characters, spaces and fragments are not valid in a request target
      }
    }
    if (mergeSlashes) {
      path = path.replaceAll("/{2,}", "/");
    }
    if (dotSegments) {
      path = removeDotSegments(path);
    }
    return path + rest;
  }

  static String removeDotSegments(String path) {
    StringBuilder out = new StringBuilder();
    String[] segments = path.split("/", -1);
    java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals(".")) {
        if (last) {
          stack.addLast("");
        }
      } else if (segment.equals("..")) {
        stack.pollLast();
        if (last) {
          stack.addLast("");
        }
      } else {
        stack.addLast(segment);
      }
    }
    for (String segment : stack) {
      out.append('/').append(segment);
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** The path with Envoy's prefix rewrite: the matched prefix replaced. */
  static String rewritePrefix(String path, String matchedPrefix, String replacement) {
    if (matchedPrefix == null
        || !path.regionMatches(true, 0, matchedPrefix, 0, matchedPrefix.length())) {
      return path;
    }
    return replacement + path.substring(matchedPrefix.length());
  }
}
