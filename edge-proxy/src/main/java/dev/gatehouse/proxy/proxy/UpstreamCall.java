package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.RetrySpec;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;

/**
 * One request to a cluster, across its attempts: pick an endpoint, send, and on a retriable outcome
 * try again elsewhere after a jittered backoff, within the route timeout, the per-try timeout, the
 * retry budget of the policy and the cluster's max_retries. Resolves with the first response to
 * keep; the caller streams it and then calls {@link #done()}.
 *
 * <p>A buffered body can be sent again; a streamed one (gRPC streams, large uploads) cannot, so
 * such a request is tried once.
 */
final class UpstreamCall {
  private final Vertx vertx;
  private final ClusterRuntime cluster;
  private final RetrySpec retry;
  private final Duration timeout;
  private Duration idleTimeout = Duration.ZERO;
  private Runnable onRetry = () -> {};
  private Runnable onEjection = () -> {};
  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private final Buffer body;
  private final ReadStream<Buffer> stream;
  private final long hash;
  private final Promise<HttpClientResponse> result = Promise.promise();

  private Endpoint endpoint;
  private HttpClientRequest current;
  private int retries;
  private long routeTimer = -1;
  private boolean finished;

  /**
   * @param body the whole request body, or null when it is {@code stream}ed
   */
  UpstreamCall(
      Vertx vertx,
      ClusterRuntime cluster,
      RetrySpec retry,
      Duration timeout,
      HttpMethod method,
      String uri,
      MultiMap headers,
      Buffer body,
      ReadStream<Buffer> stream,
      long hash) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.retry = retry;
    this.timeout = timeout;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.stream = stream;
    this.hash = hash;
  }

  /** The route's idle timeout: an upstream stream quiet for this long is reset (0: none). */
  UpstreamCall idleTimeout(Duration idle) {
    this.idleTimeout = idle;
    return this;
  }

  /** Called for every retry, for the retry counter. */
  /** Counts each endpoint that this call's results eject (outlier detection). */
  UpstreamCall onEjection(Runnable counter) {
    this.onEjection = counter;
    return this;
  }

  UpstreamCall onRetry(Runnable counter) {
    this.onRetry = counter;
    return this;
  }

  /** Starts the first attempt; fails with what {@link Failures} maps to a status. */
  Future<HttpClientResponse> start() {
    cluster.acquire();
    if (!timeout.isZero()) {
      routeTimer =
          vertx.setTimer(
              timeout.toMillis(),
              id ->
                  fail(
                      new Failures.UpstreamTimeout("route timeout " + timeout.toMillis() + " ms")));
    }
    attempt();
    return result.future();
  }

  /** The endpoint of the attempt that answered. */
  Endpoint endpoint() {
    return endpoint;
  }

  /** Ends the call once the response has been relayed (or abandoned). */
  void done() {
    if (!finished) {
      finished = true;
      cancelTimer();
      cluster.release();
      if (endpoint != null) {
        endpoint.state().activeRequests().decrementAndGet();
      }
    }
  }

  private void attempt() {
    Endpoint previous = endpoint;
    if (previous != null) {
      previous.state().activeRequests().decrementAndGet();
    }
    try {
      endpoint = cluster.pick(hash, previous);
    } catch (RuntimeException e) {
      endpoint = null;
      fail(e);
      return;
    }
    endpoint.state().activeRequests().incrementAndGet();
    Endpoint target = endpoint;
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setServer(SocketAddress.inetSocketAddress(target.port(), target.host()))
            .setURI(uri)
            .setHeaders(headers);
    if (!idleTimeout.isZero()) {
      options.setIdleTimeout(idleTimeout.toMillis());
    }
    authority(options, target);
    long perTry = retry.perTryTimeout().toMillis();
    long[] tryTimer = {-1};
    cluster
        .client()
        .request(options)
        .compose(
            request -> {
              current = request;
              if (perTry > 0) {
                tryTimer[0] =
                    vertx.setTimer(
                        perTry,
                        id -> request.reset(0, new Failures.UpstreamTimeout("per-try timeout")));
              }
              return body != null ? request.send(body) : request.send(stream);
            })
        .onComplete(
            outcome -> {
              if (tryTimer[0] >= 0) {
                vertx.cancelTimer(tryTimer[0]);
              }
              if (outcome.succeeded()) {
                answered(target, outcome.result());
              } else {
                failed(target, outcome.cause());
              }
            });
  }

  /**
   * Host (HTTP/1.1) or :authority (h2) and SNI. Under h2 the authority comes from the options, so a
   * Host header would be a second, conflicting one: it moves there instead.
   */
  private void authority(RequestOptions options, Endpoint target) {
    var tls = cluster.settings().tls();
    String sni = tls != null && !tls.sni().isEmpty() ? tls.sni() : null;
    if (!cluster.settings().http2()) {
      options.setHost(sni != null ? sni : target.host()).setPort(target.port());
      return;
    }
    String host = headers.get("host");
    headers.remove("host");
    if (host == null || sni != null) {
      options.setHost(sni != null ? sni : target.host()).setPort(target.port());
      return;
    }
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      options
          .setHost(host.substring(0, colon))
          .setPort(Integer.parseInt(host.substring(colon + 1)));
    } else {
      options.setHost(host).setPort(tls != null ? 443 : 80);
    }
  }

  private void record(Endpoint target, int status) {
    if (cluster.record(target, status)) {
      onEjection.run();
    }
  }

  private void answered(Endpoint target, HttpClientResponse response) {
    int status = response.statusCode();
    record(target, status);
    if (!finished && retry.retriesStatus(status) && mayRetry()) {
      // Drain the refused answer so its connection can be reused, then try again.
      response.body().onComplete(ignored -> retryLater());
      return;
    }
    if (result.tryComplete(response)) {
      cancelTimer();
    } else {
      response.request().reset();
    }
  }

  private void failed(Endpoint target, Throwable cause) {
    if (finished) {
      return;
    }
    record(target, 0);
    boolean connect = Failures.isConnectFailure(cause);
    boolean timedOut =
        cause instanceof Failures.UpstreamTimeout
            || cause.getCause() instanceof Failures.UpstreamTimeout;
    boolean retriable = timedOut || retry.retriesFailure(connect, Failures.isRefusedStream(cause));
    if (retriable && mayRetry()) {
      retryLater();
    } else {
      fail(timedOut ? new Failures.UpstreamTimeout("per-try timeout") : cause);
    }
  }

  private boolean mayRetry() {
    if (body == null || retries >= retry.numRetries() || !cluster.tryRetry()) {
      return false;
    }
    retries++;
    return true;
  }

  private void retryLater() {
    onRetry.run();
    long delay = retry.backoff(retries).toMillis();
    Runnable next =
        () -> {
          cluster.retryDone();
          if (!finished && !result.future().isComplete()) {
            attempt();
          }
        };
    if (delay <= 0) {
      next.run();
    } else {
      vertx.setTimer(delay, id -> next.run());
    }
  }

  private void fail(Throwable cause) {
    if (result.tryFail(cause)) {
      if (current != null) {
        current.reset();
      }
      done();
    }
  }

  private void cancelTimer() {
    if (routeTimer >= 0) {
      vertx.cancelTimer(routeTimer);
      routeTimer = -1;
    }
  }
}
