package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.CheckClient;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser as the ext_authz service sees it through Envoy: it keeps the cookies the service sets
 * on denials (302s), sends them with each Check, and can follow a redirect to the real OIDC
 * provider, which answers with a redirect back to the callback.
 */
final class Browser {
  static final String HOST = "app.example.com";

  final Map<String, String> cookies = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  CheckResponse get(CheckClient client, String pathAndQuery, Map<String, String> headers) {
    return send(client, "GET", pathAndQuery, headers, "");
  }

  CheckResponse send(
      CheckClient client,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      String body) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (!cookies.isEmpty()) {
      all.put(
          "cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    var request =
        CheckClient.request(method, "http", HOST, pathAndQuery, all, Map.of()).toBuilder();
    request.getAttributesBuilder().getRequestBuilder().getHttpBuilder().setBody(body);
    CheckResponse response = client.check(request.build());
    for (HeaderValueOption header : response.getDeniedResponse().getHeadersList()) {
      if (header.getHeader().getKey().equalsIgnoreCase("set-cookie")) {
        String value = header.getHeader().getValue();
        String pair = value.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq);
        if (value.contains("Max-Age=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, pair.substring(eq + 1));
        }
      }
    }
    return response;
  }

  /** GETs {@code url} at the provider and returns the Location it redirects to. */
  String followToProvider(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 302) {
      throw new AssertionError(
          "provider answered " + response.statusCode() + ": " + response.body());
    }
    return response.headers().firstValue("location").orElseThrow();
  }

  /** The path and query of an absolute URL on our host. */
  static String pathOf(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
