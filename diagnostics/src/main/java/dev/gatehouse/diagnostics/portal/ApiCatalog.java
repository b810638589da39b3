package dev.gatehouse.diagnostics.portal;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Docs;
import dev.gatehouse.config.mapping.Mapping;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The APIs of a configuration: every Mapping with a {@code docs} field that is not {@code ignored},
 * and the URL of its document — {@code docs.url} as written, or {@code docs.path} appended to the
 * Mapping's prefix on the edge-proxy, as Edge Stack fetches it through the route.
 */
public final class ApiCatalog {
  private ApiCatalog() {}

  public static List<ApiDoc> of(LoadResult loaded, URI docsBase, int defaultTimeoutMs) {
    List<Resource<Mapping>> mappings = new ArrayList<>(loaded.ofKind(Kind.MAPPING, Mapping.class));
    mappings.sort(Comparator.comparing(Resource::qualifiedName));
    List<ApiDoc> out = new ArrayList<>();
    for (Resource<Mapping> mapping : mappings) {
      Docs docs = mapping.spec().docs();
      if (docs == null || Boolean.TRUE.equals(docs.ignored())) {
        continue;
      }
      String url;
      String host = null;
      if (docs.url() != null && !docs.url().isBlank()) {
        url = docs.url();
      } else if (docs.path() != null && !docs.path().isBlank()) {
        url = base(docsBase) + join(mapping.spec().prefix(), docs.path());
        host = literalHost(mapping.spec().hostname());
      } else {
        continue;
      }
      String name =
          docs.displayName() != null && !docs.displayName().isBlank()
              ? docs.displayName()
              : mapping.name();
      out.add(
          new ApiDoc(
              mapping.namespace() + "-" + mapping.name(),
              mapping.id(),
              mapping.sourceOf("spec.docs").toString(),
              name,
              url,
              host,
              docs.timeoutMs() != null ? docs.timeoutMs() : defaultTimeoutMs,
              null,
              null,
              "not fetched yet",
              null));
    }
    return out;
  }

  private static String base(URI docsBase) {
    String text = docsBase.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** {@code /petstore/} and {@code /openapi.json}: {@code /petstore/openapi.json}. */
  static String join(String prefix, String path) {
    String left = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return left + (path.startsWith("/") ? path : "/" + path);
  }

  /** The Host header for a Mapping's own host name; none for a glob or {@code *}. */
  private static String literalHost(String hostname) {
    if (hostname == null || hostname.isBlank() || hostname.contains("*")) {
      return null;
    }
    return hostname;
  }
}
