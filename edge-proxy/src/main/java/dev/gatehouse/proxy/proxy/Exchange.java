package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.HeaderTemplate;
import dev.gatehouse.proxy.routing.RouteRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request on its way through the proxy: the facts every stage reads (client address as trusted,
 * scheme, the normalized path) and what stages add for the response. Lives on one event loop, so it
 * needs no locking.
 */
final class Exchange implements HeaderTemplate.Context {
  final HttpServerRequest request;
  final String scheme;
  final String clientAddress;
  final int clientPort;
  final String authority;
  final MultiMap headers;
  String path;

  /** The route's prefix when it matched by prefix, for prefix rewrites; null otherwise. */
  String matchedPrefix;

  final List<Map.Entry<String, String>> extraResponseHeaders = new ArrayList<>();
  final long startNanos = System.nanoTime();
  final long startMillis = System.currentTimeMillis();

  /** Envoy's response flag for the access log, when the proxy answered itself. */
  String flag;

  /** The endpoint that answered, for the access log. */
  String upstreamHost;

  /** The listener, for metrics. */
  String listenerName = "";

  Exchange(
      HttpServerRequest request,
      String scheme,
      String clientAddress,
      String authority,
      String path,
      MultiMap headers) {
    this.request = request;
    this.scheme = scheme;
    this.clientAddress = clientAddress;
    this.clientPort = request.remoteAddress() == null ? 0 : request.remoteAddress().port();
    this.authority = authority;
    this.path = path;
    this.headers = headers;
  }

  RouteRequest routeRequest() {
    return new RouteRequest(request.method().name(), authority, path, headers);
  }

  @Override
  public String remoteAddress() {
    return clientAddress;
  }

  @Override
  public int remotePort() {
    return clientPort;
  }

  @Override
  public String protocol() {
    return switch (request.version()) {
      case HTTP_2 -> "HTTP/2";
      case HTTP_1_0 -> "HTTP/1.0";
      default -> "HTTP/1.1";
    };
  }

  @Override
  public String requestHeader(String name) {
    return headers.get(name);
  }
}
