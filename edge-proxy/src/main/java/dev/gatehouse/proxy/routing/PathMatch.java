package dev.gatehouse.proxy.routing;

import com.google.re2j.Pattern;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.function.Predicate;

/**
 * The path part of an Envoy {@code RouteMatch}: {@code prefix} against the whole {@code :path}
 * (query included, as Envoy does), {@code path} and {@code safe_regex} against the path without its
 * query, {@code path_separated_prefix} on segment boundaries; all but the regex honour {@code
 * case_sensitive} (default true).
 */
final class PathMatch {
  private PathMatch() {}

  static Predicate<RouteRequest> compile(RouteMatch match, String where) {
    boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    return switch (match.getPathSpecifierCase()) {
      case PREFIX -> {
        String prefix = match.getPrefix();
        yield caseSensitive
            ? r -> r.path().startsWith(prefix)
            : r -> r.path().regionMatches(true, 0, prefix, 0, prefix.length());
      }
      case PATH -> {
        String path = match.getPath();
        yield caseSensitive
            ? r -> r.pathWithoutQuery().equals(path)
            : r -> r.pathWithoutQuery().equalsIgnoreCase(path);
      }
      case SAFE_REGEX -> {
        Pattern pattern =
            StringMatch.compileRegex(match.getSafeRegex().getRegex(), where + ".match.safe_regex");
        yield r -> pattern.matches(r.pathWithoutQuery());
      }
      case PATH_SEPARATED_PREFIX -> {
        String prefix = match.getPathSeparatedPrefix();
        yield r -> {
          String path = r.pathWithoutQuery();
          boolean starts =
              caseSensitive
                  ? path.startsWith(prefix)
                  : path.regionMatches(true, 0, prefix, 0, prefix.length());
          return starts
              && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
        };
      }
      default ->
          throw new XdsException(
              where
                  + ".match: path specifier "
                  + match.getPathSpecifierCase()
                  + " is not supported");
    };
  }
}
