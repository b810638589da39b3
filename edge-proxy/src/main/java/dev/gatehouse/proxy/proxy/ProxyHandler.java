package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.Action;
import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The request path of one listener, in Envoy's order: check and normalize the request, pick the
 * virtual host and route, answer redirects, direct responses and CORS preflights at the edge, run
 * ext_authz and rate limiting, then forward with retries and relay the response with the route's
 * header operations. Every failure ends in {@link Failures}.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyHandler.class);

  /** Bodies up to this size are buffered, so that retries can resend them. */
  static final long MAX_BUFFERED_BODY = 1024 * 1024;

  private final Vertx vertx;
  private final ListenerSettings listener;
  private final Supplier<ProxySnapshot> snapshot;
  private final EdgeFilters filters;
  private final dev.gatehouse.proxy.observe.ProxyMetrics metrics;

  public ProxyHandler(
      Vertx vertx,
      ListenerSettings listener,
      Supplier<ProxySnapshot> snapshot,
      EdgeFilters filters,
      dev.gatehouse.proxy.observe.ProxyMetrics metrics) {
    this.vertx = vertx;
    this.listener = listener;
    this.snapshot = snapshot;
    this.filters = filters;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    ProxySnapshot config = snapshot.get();
    Exchange exchange;
    try {
      exchange = accept(request);
    } catch (ProxyFailure failure) {
      reply(request, failure, MultiMap.caseInsensitiveMultiMap());
      return;
    }
    exchange.listenerName = listener.name();
    if (LOG.isTraceEnabled()) {
      LOG.trace(
          "{} {} {} from {}",
          exchange.headers.get("x-request-id"),
          request.method(),
          exchange.path,
          exchange.clientAddress);
    }
    Observer.observe(exchange, listener, metrics);
    RouteTable table = config.routes().get(listener.routeConfigName());
    RouteTable.Match match =
        table == null ? null : table.match(exchange.routeRequest()).orElse(null);
    if (match == null) {
      reply(request, new ProxyFailure(404, "", null, "NR"), MultiMap.caseInsensitiveMultiMap());
      return;
    }
    var requireTls = match.host().virtualHost().getRequireTls();
    if (!listener.tls()
        && requireTls != io.envoyproxy.envoy.config.route.v3.VirtualHost.TlsRequirementType.NONE) {
      // Envoy's require_tls (a Host's insecure Redirect): both EXTERNAL_ONLY and ALL redirect here.
      String host = exchange.authority.replaceFirst(":\\d+$", "");
      reply(
          request,
          new ProxyFailure(
              301,
              "",
              MultiMap.caseInsensitiveMultiMap()
                  .add("location", "https://" + host + exchange.path)),
          MultiMap.caseInsensitiveMultiMap());
      return;
    }
    MultiMap corsHeaders = MultiMap.caseInsensitiveMultiMap();
    if (listener.cors() && Cors.handle(exchange, match.route().overrides().cors(), corsHeaders)) {
      return; // a preflight, answered here
    }
    if (match.route().route().getMatch().hasPrefix()) {
      exchange.matchedPrefix = match.route().route().getMatch().getPrefix();
    }
    Action action = match.route().action();
    if (action instanceof Action.Redirect redirect) {
      reply(request, Redirects.answer(exchange, redirect), corsHeaders);
      return;
    }
    if (action instanceof Action.Direct direct) {
      reply(request, new ProxyFailure(direct.status(), direct.body()), corsHeaders);
      return;
    }
    Action.Forward forward = (Action.Forward) action;
    Action.WeightedTarget target =
        forward.target(ThreadLocalRandom.current().nextInt(forward.totalWeight()));
    ClusterRuntime cluster = config.clusters().get(target.cluster());
    if (cluster == null) {
      reply(request, new ProxyFailure(503, "cluster not found: " + target.cluster()), corsHeaders);
      return;
    }
    body(exchange)
        .compose(
            body ->
                filters
                    .run(exchange, match, forward, target.cluster(), body, listener)
                    .compose(
                        ignored ->
                            forward(
                                config,
                                table,
                                exchange,
                                match,
                                forward,
                                target,
                                cluster,
                                corsHeaders,
                                body)))
        .onFailure(
            error -> {
              ProxyFailure failure = Failures.of(error);
              if (LOG.isDebugEnabled() && !(error instanceof ProxyFailure)) {
                LOG.debug("{} {}: {}", request.method(), exchange.path, error.toString());
              }
              exchange.flag = failure.flag();
              reply(request, failure, corsHeaders);
            });
  }

  private Exchange accept(HttpServerRequest request) {
    String path = Paths.normalize(request.uri(), listener.mergeSlashes(), listener.normalizePath());
    if (path == null) {
      throw new ProxyFailure(400, "Bad Request");
    }
    String authority = request.authority() == null ? "" : request.authority().toString();
    MultiMap headers = Headers.lowerCased(request.headers());
    String peer =
        request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress();
    // Hop-by-hop headers are the client's: removed before the edge adds its own, so that a
    // client naming X-Forwarded-For or x-request-id in Connection cannot strip the edge's.
    boolean upgrade = headers.contains("upgrade");
    HopByHop.strip(headers, upgrade);
    String client = Forwarding.clientAddress(headers, peer, listener);
    Forwarding.apply(headers, peer, listener.tls(), listener);
    return new Exchange(
        request, listener.tls() ? "https" : "http", client, authority, path, headers);
  }

  private Future<Void> forward(
      ProxySnapshot config,
      RouteTable table,
      Exchange exchange,
      RouteTable.Match match,
      Action.Forward forward,
      Action.WeightedTarget target,
      ClusterRuntime cluster,
      MultiMap corsHeaders,
      Buffer body) {
    MultiMap headers = exchange.headers;
    target.requestHeaders().apply(headers, exchange);
    match.route().requestHeaders().apply(headers, exchange);
    match.host().requestHeaders().apply(headers, exchange);
    if (table != null) {
      table.requestHeaders().apply(headers, exchange);
    }
    String upstreamPath =
        Rewrites.path(exchange.path, match.route().route().getMatch(), forward.rewrite());
    String authority =
        Rewrites.authority(exchange.authority, forward.hostRewrite(), cluster, headers);
    headers.set("host", authority);
    headers.set("x-envoy-original-path", exchange.path);
    long hash = HashPolicies.hash(forward.hashPolicies(), exchange);
    String upgrade = exchange.request.getHeader("upgrade");
    if (upgrade != null
        && forward.upgrades().contains(upgrade.toLowerCase(java.util.Locale.ROOT))) {
      headers.set("connection", "upgrade").set("upgrade", upgrade);
      return Tunnel.open(
          cluster,
          exchange.request,
          upstreamPath,
          headers,
          out -> editResponse(out, exchange, match, target, table, corsHeaders));
    }
    // An upgrade the route does not allow goes upstream as a plain request, as in Envoy.
    headers.remove("upgrade");
    headers.remove("connection");
    Mirrors.send(
        vertx, config, forward.mirrors(), exchange, upstreamPath, authority, headers, body);
    UpstreamCall call =
        new UpstreamCall(
            vertx,
            cluster,
            forward.retry(),
            forward.timeout(),
            exchange.request.method(),
            upstreamPath,
            headers,
            body,
            body == null ? exchange.request : null,
            hash);
    call.idleTimeout(forward.idleTimeout())
        .onRetry(() -> metrics.retry(cluster.name()))
        .onEjection(() -> metrics.ejection(cluster.name()));
    Future<io.vertx.core.http.HttpClientResponse> response =
        call.start()
            .onSuccess(
                answered -> {
                  exchange.upstreamHost = call.endpoint().address();
                  metrics.upstream(cluster.name(), answered.statusCode());
                });
    // A streamed body stays paused until the upstream request pipes it, which resumes it: data
    // emitted before then would have nowhere to go.
    return response.compose(
        upstream ->
            ResponseRelay.relay(
                    upstream,
                    exchange.request.response(),
                    out -> editResponse(out, exchange, match, target, table, corsHeaders))
                .onComplete(done -> call.done()));
  }

  /** The whole body when it is small enough to buffer (or absent), else null: it will stream. */
  private static Future<Buffer> body(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    String length = request.getHeader("content-length");
    boolean noBody =
        request.version() != io.vertx.core.http.HttpVersion.HTTP_2
            && length == null
            && !request.headers().contains("transfer-encoding");
    if (noBody || "0".equals(length)) {
      request.resume(); // nothing to read, but a paused request would hold up the connection
      return Future.succeededFuture(Buffer.buffer());
    }
    if (length != null && parse(length) >= 0 && parse(length) <= MAX_BUFFERED_BODY) {
      Future<Buffer> body = request.body();
      request.resume();
      return body;
    }
    return Future.succeededFuture(null);
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void editResponse(
      MultiMap out,
      Exchange exchange,
      RouteTable.Match match,
      Action.WeightedTarget target,
      RouteTable table,
      MultiMap corsHeaders) {
    target.responseHeaders().apply(out, exchange);
    match.route().responseHeaders().apply(out, exchange);
    match.host().responseHeaders().apply(out, exchange);
    if (table != null) {
      table.responseHeaders().apply(out, exchange);
    }
    for (Map.Entry<String, String> header : exchange.extraResponseHeaders) {
      out.add(header.getKey(), header.getValue());
    }
    out.addAll(corsHeaders);
    finishHeaders(out);
  }

  private void finishHeaders(MultiMap out) {
    if (!listener.serverName().isEmpty()) {
      out.set("server", listener.serverName());
    }
  }

  /** Answers from the proxy itself. */
  void reply(HttpServerRequest request, ProxyFailure failure, MultiMap extra) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(failure.status());
    response.headers().addAll(failure.headers()).addAll(extra);
    finishHeaders(response.headers());
    if (!failure.body().isEmpty() && !response.headers().contains("content-type")) {
      response.putHeader("content-type", "text/plain");
    }
    request.resume();
    response.end(failure.body());
  }
}
