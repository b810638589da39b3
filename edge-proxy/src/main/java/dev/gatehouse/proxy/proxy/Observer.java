package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.observe.AccessLog;
import dev.gatehouse.proxy.observe.ProxyMetrics;
import io.vertx.core.http.HttpServerResponse;

/** Counts each request and writes its access-log line when it is over, however it ended. */
final class Observer {
  private Observer() {}

  /** Counts and logs the request once its response has gone, or the client has gone. */
  static void observe(Exchange exchange, ListenerSettings listener, ProxyMetrics metrics) {
    HttpServerResponse response = exchange.request.response();
    response.endHandler(
        v ->
            finished(
                exchange, listener, metrics, response.getStatusCode(), response.bytesWritten()));
    response.closeHandler(
        v -> {
          if (!response.ended()) {
            exchange.flag = "DC";
            finished(exchange, listener, metrics, 0, response.bytesWritten());
          }
        });
  }

  private static void finished(
      Exchange exchange,
      ListenerSettings listener,
      ProxyMetrics metrics,
      int status,
      long bytesSent) {
    metrics.downstream(listener.name(), status);
    if (AccessLog.enabled()) {
      AccessLog.write(
          new AccessLog.Entry(
              exchange.startMillis,
              exchange.request.method().name(),
              exchange.path,
              exchange.protocol(),
              status,
              exchange.flag,
              exchange.request.bytesRead(),
              bytesSent,
              (System.nanoTime() - exchange.startNanos) / 1_000_000,
              exchange.headers.get("x-forwarded-for"),
              exchange.headers.get("user-agent"),
              exchange.headers.get("x-request-id"),
              exchange.authority,
              exchange.upstreamHost));
    }
  }
}
