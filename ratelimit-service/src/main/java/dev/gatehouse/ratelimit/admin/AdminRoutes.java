package dev.gatehouse.ratelimit.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The admin endpoints of the ratelimit service as a Router, for the launcher to mount on the admin
 * port: {@code /metrics} (Prometheus text), {@code /ready} (200 once a configuration is served and
 * the gRPC listener is up, else 503; the body says why) and {@code /live} (200 while the process
 * runs its event loop).
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  /** What {@code /ready} reports; {@code ready} decides the status code. */
  public record Readiness(boolean ready, JsonObject details) {}

  public static Router router(
      Vertx vertx, RateLimitMetrics metrics, Supplier<Readiness> readiness) {
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router
        .get("/live")
        .handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("live\n"));
    router
        .get("/ready")
        .handler(
            ctx -> {
              Readiness now = readiness.get();
              ctx.response()
                  .setStatusCode(now.ready() ? 200 : 503)
                  .putHeader("content-type", "application/json")
                  .end(now.details().put("ready", now.ready()).encode());
            });
    return router;
  }
}
