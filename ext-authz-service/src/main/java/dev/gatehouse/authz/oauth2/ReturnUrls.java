package dev.gatehouse.authz.oauth2;

import dev.gatehouse.config.auth.OAuth2Filter.ProtectedOrigin;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a login may return to: only a protected origin (exact, or a proper dot-suffix of one with
 * {@code includeSubdomains}), and only a path that a browser cannot read as another host ({@code
 * //host}, {@code /\host}, or their percent-encoded forms).
 */
final class ReturnUrls {
  private ReturnUrls() {}

  /** Whether {@code origin} ({@code scheme://host[:port]}) is one the filter protects. */
  static boolean originAllowed(String origin, List<ProtectedOrigin> protectedOrigins) {
    URI candidate = parse(origin);
    if (candidate == null || candidate.getHost() == null) {
      return false;
    }
    for (ProtectedOrigin allowed : protectedOrigins) {
      URI base = parse(allowed.origin());
      if (base == null || base.getHost() == null) {
        continue;
      }
      if (!base.getScheme().equalsIgnoreCase(candidate.getScheme())
          || port(base) != port(candidate)) {
        continue;
      }
      String host = candidate.getHost().toLowerCase(Locale.ROOT);
      String baseHost = base.getHost().toLowerCase(Locale.ROOT);
      if (host.equals(baseHost)
          || (Boolean.TRUE.equals(allowed.includeSubdomains()) && host.endsWith("." + baseHost))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The origin the browser sees for a request that reached us as {@code requestOrigin}: itself when
   * it is protected, else the protected origin one of whose {@code allowedInternalOrigins} (or
   * {@code internalOrigin}) it matches — a gateway in front rewrote the Host — else null.
   */
  static String publicOrigin(String requestOrigin, List<ProtectedOrigin> protectedOrigins) {
    if (originAllowed(requestOrigin, protectedOrigins)) {
      return requestOrigin;
    }
    URI candidate = parse(requestOrigin);
    if (candidate == null || candidate.getHost() == null) {
      return null;
    }
    for (ProtectedOrigin allowed : protectedOrigins) {
      List<String> internal = new java.util.ArrayList<>(allowed.allowedInternalOrigins());
      if (allowed.internalOrigin() != null) {
        internal.add(allowed.internalOrigin());
      }
      for (String pattern : internal) {
        if (internalMatches(pattern, candidate)) {
          URI base = parse(allowed.origin());
          return base.getScheme() + "://" + base.getRawAuthority();
        }
      }
    }
    return null;
  }

  /** {@code scheme://authority}, either part {@code *} for any; ports compare with defaults. */
  private static boolean internalMatches(String pattern, URI candidate) {
    int sep = pattern.indexOf("://");
    if (sep < 0) {
      return false;
    }
    String scheme = pattern.substring(0, sep);
    String authority = pattern.substring(sep + 3);
    int slash = authority.indexOf('/');
    authority = slash < 0 ? authority : authority.substring(0, slash);
    if (!scheme.equals("*") && !scheme.equalsIgnoreCase(candidate.getScheme())) {
      return false;
    }
    if (authority.equals("*")) {
      return true;
    }
    URI base = parse(candidate.getScheme() + "://" + authority);
    return base != null
        && base.getHost() != null
        && base.getHost().equalsIgnoreCase(candidate.getHost())
        && port(base) == port(candidate);
  }

  /** {@code pathAndQuery} if it is a safe same-origin path, else {@code /}. */
  static String safePath(String pathAndQuery) {
    if (pathAndQuery == null || !pathAndQuery.startsWith("/")) {
      return "/";
    }
    String lower = pathAndQuery.toLowerCase(Locale.ROOT);
    if (lower.startsWith("//")
        || lower.startsWith("/\\")
        || lower.startsWith("/%2f")
        || lower.startsWith("/%5c")
        || lower.startsWith("/%09")
        || pathAndQuery.indexOf('\\') >= 0) {
      return "/";
    }
    for (int i = 0; i < pathAndQuery.length(); i++) {
      char c = pathAndQuery.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        return "/";
      }
    }
    return pathAndQuery;
  }

  private static URI parse(String text) {
    try {
      return new URI(text);
    } catch (Exception e) {
      return null;
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
