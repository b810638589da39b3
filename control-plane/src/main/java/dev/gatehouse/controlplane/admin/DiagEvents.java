package dev.gatehouse.controlplane.admin;

import dev.gatehouse.controlplane.ConfigState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-sent events for the diag page ({@code /ambassador/v0/diag/events}): one {@code config}
 * event, whose data is the generation, each time a configuration is applied. The page then fetches
 * the report again, so it shows a new Mapping or a new error without a reload.
 */
final class DiagEvents {
  private final Vertx vertx;
  // Each response is written on the context of the request that opened it.
  private final Map<HttpServerResponse, Context> open = new ConcurrentHashMap<>();

  DiagEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  void subscribe(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache");
    // A comment first, so the browser sees the stream open (and the page refreshes once).
    response.write(": gatehouse diag events\n\n");
    open.put(response, vertx.getOrCreateContext());
    response.closeHandler(v -> open.remove(response));
    response.exceptionHandler(e -> open.remove(response));
  }

  /** Tells every open page; called on the watcher's thread. */
  void applied(ConfigState state) {
    String event = "event: config\ndata: " + state.generation() + "\n\n";
    open.forEach((response, context) -> context.runOnContext(v -> write(response, event)));
  }

  private void write(HttpServerResponse response, String event) {
    if (response.closed() || response.ended()) {
      open.remove(response);
      return;
    }
    response.write(event);
  }

  int subscribers() {
    return open.size();
  }

  void closeAll() {
    open.forEach((response, context) -> context.runOnContext(v -> response.reset()));
    open.clear();
  }
}
