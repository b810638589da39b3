package dev.gatehouse.authz.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * The admin endpoints: {@code /metrics} (Prometheus text), {@code /ready} (200 once a configuration
 * is loaded and the listeners are up, else 503) and {@code /live} (200 while the event loop
 * answers).
 */
public final class AdminServer {
  private AdminServer() {}

  public static Future<HttpServer> start(
      Vertx vertx, String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()));
    router
        .get("/ready")
        .handler(
            ctx -> {
              boolean isReady = ready.getAsBoolean();
              ctx.response()
                  .setStatusCode(isReady ? 200 : 503)
                  .end(isReady ? "ready\n" : "not ready\n");
            });
    router.get("/live").handler(ctx -> ctx.response().end("live\n"));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
