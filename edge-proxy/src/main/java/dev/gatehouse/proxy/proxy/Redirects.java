package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.Action;
import io.vertx.core.MultiMap;

/** Envoy's redirect action: a Location built from the request with the action's parts replaced. */
final class Redirects {
  private Redirects() {}

  static ProxyFailure answer(Exchange exchange, Action.Redirect redirect) {
    String scheme = redirect.scheme() != null ? redirect.scheme() : exchange.scheme;
    String host = exchange.authority;
    int port = -1;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      port = Integer.parseInt(host.substring(colon + 1));
      host = host.substring(0, colon);
    }
    if (redirect.host() != null) {
      host = redirect.host();
      port = -1; // Envoy replaces the whole host; only port_redirect sets a port
    }
    if (redirect.port() > 0) {
      port = redirect.port();
    } else if (redirect.scheme() != null && !redirect.scheme().equals(exchange.scheme)) {
      port = -1; // a scheme change drops the old scheme's port
    }
    int query = exchange.path.indexOf('?');
    String path = query < 0 ? exchange.path : exchange.path.substring(0, query);
    String rest = query < 0 || redirect.stripQuery() ? "" : exchange.path.substring(query);
    if (redirect.path() != null) {
      path = redirect.path();
      if (path.contains("?")) {
        rest = "";
      }
    } else if (redirect.regexRewrite() != null) {
      path = redirect.regexRewrite().apply(path);
    } else if (redirect.prefixRewrite() != null) {
      path = Paths.rewritePrefix(path, exchange.matchedPrefix, redirect.prefixRewrite());
    }
    String location = scheme + "://" + host + (port > 0 ? ":" + port : "") + path + rest;
    return new ProxyFailure(
        redirect.status(), "", MultiMap.caseInsensitiveMultiMap().add("location", location));
  }
}
