package dev.gatehouse.proxy.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * Streams an upstream response to the client with backpressure: status, headers (hop-by-hop ones
 * removed, then the caller's edits), body, and trailers, which gRPC needs for its status. If either
 * side breaks, the other is reset rather than left hanging.
 */
final class ResponseRelay {
  private ResponseRelay() {}

  /**
   * @param editHeaders applies response header operations to the copied headers
   * @return completes when the response has ended, or failed when it broke
   */
  static Future<Void> relay(
      HttpClientResponse upstream, HttpServerResponse downstream, Consumer<MultiMap> editHeaders) {
    Promise<Void> done = Promise.promise();
    downstream.setStatusCode(upstream.statusCode());
    if (upstream.statusMessage() != null && !upstream.statusMessage().isEmpty()) {
      downstream.setStatusMessage(upstream.statusMessage());
    }
    MultiMap headers = Headers.lowerCased(upstream.headers());
    HopByHop.strip(headers, false);
    editHeaders.accept(headers);
    boolean hasLength = headers.contains("content-length");
    downstream.headers().addAll(headers);
    int status = upstream.statusCode();
    if (!hasLength && status != 204 && status != 304 && status >= 200) {
      downstream.setChunked(true);
    }
    upstream.handler(
        data -> {
          downstream.write(data);
          if (downstream.writeQueueFull()) {
            upstream.pause();
            downstream.drainHandler(v -> upstream.resume());
          }
        });
    upstream.exceptionHandler(
        error -> {
          if (done.tryFail(error)) {
            downstream.reset();
          }
        });
    upstream.endHandler(
        v -> {
          MultiMap trailers = upstream.trailers();
          if (trailers != null && !trailers.isEmpty()) {
            downstream.trailers().addAll(Headers.lowerCased(trailers));
          }
          downstream.end().onComplete(ended -> done.tryComplete());
        });
    downstream.closeHandler(
        v -> {
          // An h2 stream also "closes" after a normal end; only an unfinished response means the
          // client went away.
          if (!downstream.ended()
              && done.tryFail(new IllegalStateException("client closed the connection"))) {
            upstream.request().reset();
          }
        });
    return done.future();
  }
}
