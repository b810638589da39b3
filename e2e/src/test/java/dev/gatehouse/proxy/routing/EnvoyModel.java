package dev.gatehouse.proxy.routing;

import com.google.re2j.Pattern;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A deliberately plain model of how Envoy picks a virtual host and route, written from Envoy's
 * documentation for the fuzz tests to compare {@link RouteTable} against. It covers what the fixed
 * table uses: domains, {@code prefix}, {@code path}, {@code safe_regex}, {@code
 * path_separated_prefix}, {@code case_sensitive} (ASCII, as Envoy) and exact header matchers.
 */
final class EnvoyModel {
  private EnvoyModel() {}

  static Optional<String> match(RouteConfiguration config, RouteRequest request) {
    VirtualHost host = host(config, request.authority());
    if (host == null) {
      return Optional.empty();
    }
    for (Route route : host.getRoutesList()) {
      if (pathHolds(route.getMatch(), request)
          && route.getMatch().getHeadersList().stream().allMatch(h -> exactHolds(h, request))) {
        return Optional.of(route.getName());
      }
    }
    return Optional.empty();
  }

  private static VirtualHost host(RouteConfiguration config, String authority) {
    String host = authority.toLowerCase(Locale.ROOT);
    // strip_any_host_port; an authority that starts with ':' is no valid Host, and Vert.x never
    // hands one over, so it is left alone here as in RouteTable.
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.lastIndexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    VirtualHost any = null;
    VirtualHost bestSuffix = null;
    int suffixLength = -1;
    VirtualHost bestPrefix = null;
    int prefixLength = -1;
    for (VirtualHost candidate : config.getVirtualHostsList()) {
      for (String raw : candidate.getDomainsList()) {
        String domain = raw.toLowerCase(Locale.ROOT);
        if (domain.equals("*")) {
          any = candidate;
        } else if (domain.startsWith("*")) {
          String suffix = domain.substring(1);
          if (host.length() > suffix.length()
              && host.endsWith(suffix)
              && suffix.length() > suffixLength) {
            bestSuffix = candidate;
            suffixLength = suffix.length();
          }
        } else if (domain.endsWith("*")) {
          String prefix = domain.substring(0, domain.length() - 1);
          if (host.length() > prefix.length()
              && host.startsWith(prefix)
              && prefix.length() > prefixLength) {
            bestPrefix = candidate;
            prefixLength = prefix.length();
          }
        } else if (domain.equals(host)) {
          return candidate;
        }
      }
    }
    return bestSuffix != null ? bestSuffix : bestPrefix != null ? bestPrefix : any;
  }

  /** Whether the path condition of a route holds, as Envoy's RouteMatch documents it. */
  static boolean pathHolds(RouteMatch match, RouteRequest request) {
    boolean sensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    String path = request.path();
    int query = path.indexOf('?');
    String withoutQuery = query < 0 ? path : path.substring(0, query);
    return switch (match.getPathSpecifierCase()) {
      case PREFIX -> startsWith(path, match.getPrefix(), sensitive);
      case PATH ->
          withoutQuery.length() == match.getPath().length()
              && startsWith(withoutQuery, match.getPath(), sensitive);
      case SAFE_REGEX -> Pattern.compile(match.getSafeRegex().getRegex()).matches(withoutQuery);
      case PATH_SEPARATED_PREFIX -> {
        String prefix = match.getPathSeparatedPrefix();
        yield startsWith(withoutQuery, prefix, sensitive)
            && (withoutQuery.length() == prefix.length()
                || withoutQuery.charAt(prefix.length()) == '/');
      }
      default -> false;
    };
  }

  private static boolean startsWith(String value, String prefix, boolean sensitive) {
    if (value.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      char a = value.charAt(i);
      char b = prefix.charAt(i);
      if (a != b && (sensitive || asciiLower(a) != asciiLower(b))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static boolean exactHolds(HeaderMatcher header, RouteRequest request) {
    List<String> values =
        switch (header.getName()) {
          case ":method" -> List.of(request.method());
          case ":authority", "host" -> List.of(request.authority());
          case ":path" -> List.of(request.path());
          default -> request.headers().getAll(header.getName());
        };
    // Envoy joins several values of one header with ',' before matching.
    return !values.isEmpty() && String.join(",", values).equals(header.getStringMatch().getExact());
  }
}
