package dev.gatehouse.proxy.routing;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * What routing looks at in a request: method, authority, the raw path with its query, and the
 * headers (case-insensitive).
 */
public record RouteRequest(String method, String authority, String path, MultiMap headers) {

  /** The path without its query string, as Envoy's exact and regex path matches see it. */
  public String pathWithoutQuery() {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** The raw query string, empty when there is none. */
  public String query() {
    int query = path.indexOf('?');
    return query < 0 ? "" : path.substring(query + 1);
  }

  /**
   * Every value of a header; the pseudo-headers {@code :method}, {@code :authority} and {@code
   * :path} are answered from the request line, as Envoy's header matchers see them.
   */
  public List<String> header(String name) {
    return switch (name) {
      case ":method" -> List.of(method);
      case ":authority", "host" -> List.of(authority);
      case ":path" -> List.of(path);
      default -> headers.getAll(name);
    };
  }
}
