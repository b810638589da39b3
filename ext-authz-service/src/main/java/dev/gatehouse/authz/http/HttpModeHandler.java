package dev.gatehouse.authz.http;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP mode of Emissary's AuthService: the request arrives as the client sent it (its path
 * behind the AuthService's {@code path_prefix}); 200 allows, and the headers to set upstream are
 * answered as response headers (Emissary copies its {@code allowed_authorization_headers}); any
 * other answer goes back to the client verbatim.
 */
public final class HttpModeHandler implements Handler<HttpServerRequest> {
  /** Bodies beyond this are cut: Emissary's include_body sends at most max_bytes anyway. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final Function<AuthzRequest, Future<Verdict>> authorizer;
  private final Supplier<String> pathPrefix;

  public HttpModeHandler(
      Function<AuthzRequest, Future<Verdict>> authorizer, Supplier<String> pathPrefix) {
    this.authorizer = authorizer;
    this.pathPrefix = pathPrefix;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() < MAX_BODY_BYTES) {
            body.appendBuffer(
                chunk.length() + body.length() > MAX_BODY_BYTES
                    ? chunk.slice(0, MAX_BODY_BYTES - body.length())
                    : chunk);
          }
        });
    request.endHandler(
        done -> {
          AuthzRequest authz = toRequest(request, body.toString());
          authorizer
              .apply(authz)
              .onComplete(
                  verdict -> {
                    HttpServerResponse response = request.response();
                    if (verdict.failed()) {
                      response.setStatusCode(500).end("authorization failed\n");
                    } else if (verdict.result() instanceof Verdict.Allow allow) {
                      allow.mutations().set().forEach(response::putHeader);
                      response.setStatusCode(200).end();
                    } else {
                      Verdict.Deny deny = (Verdict.Deny) verdict.result();
                      deny.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
                      response.setStatusCode(deny.status()).end(deny.body());
                    }
                  });
        });
  }

  private AuthzRequest toRequest(HttpServerRequest request, String body) {
    Map<String, String> headers = new HashMap<>();
    request
        .headers()
        .forEach(
            h -> {
              String name = h.getKey().toLowerCase(Locale.ROOT);
              String separator = name.equals("cookie") ? "; " : ",";
              headers.merge(name, h.getValue(), (a, b) -> a + separator + b);
            });
    String path = request.uri();
    String prefix = pathPrefix.get();
    if (!prefix.isEmpty() && path.startsWith(prefix)) {
      path = path.substring(prefix.length());
      if (!path.startsWith("/")) {
        path = "/" + path;
      }
    }
    String host =
        headers.getOrDefault(
            "host", request.authority() == null ? "" : request.authority().toString());
    String scheme = headers.getOrDefault("x-forwarded-proto", "http");
    return new AuthzRequest(request.method().name(), scheme, host, path, headers, body, Map.of());
  }
}
