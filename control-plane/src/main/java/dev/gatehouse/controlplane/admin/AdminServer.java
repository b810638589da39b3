package dev.gatehouse.controlplane.admin;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.module.Module;
import dev.gatehouse.controlplane.ConfigState;
import dev.gatehouse.controlplane.ControlPlane;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The admin endpoints on their own port: {@code /ambassador/v0/diag/} (JSON with {@code
 * ?json=true}), {@code /ready}, {@code /live} (and Emissary's {@code check_ready} / {@code
 * check_alive}), {@code /metrics} for Prometheus, {@code /ambassador/v0/diag/events} for the page's
 * live updates, and what {@link AdminExtension}s add.
 */
public final class AdminServer {
  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final ControlPlaneMetrics metrics;
  private final DiagEvents events;
  private final List<AdminExtension> extensions = new CopyOnWriteArrayList<>();
  private HttpServer server;

  public AdminServer(Vertx vertx, ControlPlane controlPlane, ControlPlaneMetrics metrics) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.metrics = metrics;
    this.events = new DiagEvents(vertx);
  }

  /** Adds an extension; before {@link #listen}. */
  public void extend(AdminExtension extension) {
    if (server != null) {
      throw new IllegalStateException("admin extensions must be added before the server listens");
    }
    extensions.add(extension);
  }

  public Future<AdminServer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/ambassador/v0/diag").handler(this::diag);
    router.get("/ambassador/v0/diag/").handler(this::diag);
    router.get("/ambassador/v0/diag/events").handler(this::events);
    controlPlane.onApplied(events::applied);
    extensions.forEach(e -> e.addRoutes(router));
    router.get("/ready").handler(this::ready);
    router.get("/ambassador/v0/check_ready").handler(this::ready);
    router.get("/live").handler(ctx -> ctx.response().end("alive\n"));
    router.get("/ambassador/v0/check_alive").handler(ctx -> ctx.response().end("alive\n"));
    router.get("/metrics").handler(this::metrics);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .map(
            s -> {
              server = s;
              return this;
            });
  }

  private void ready(RoutingContext ctx) {
    if (controlPlane.ready()) {
      ctx.response().end("ready\n");
    } else {
      ctx.response().setStatusCode(503).end("not ready: no configuration served yet\n");
    }
  }

  private void events(RoutingContext ctx) {
    if (refusedAsDisabled(ctx)) {
      return;
    }
    events.subscribe(ctx);
  }

  /** Answers 404 when the ambassador Module turns diagnostics off; true if it did. */
  private boolean refusedAsDisabled(RoutingContext ctx) {
    if (diagnosticsEnabled(controlPlane.state())) {
      return false;
    }
    ctx.response()
        .setStatusCode(404)
        .end("diagnostics are disabled by the ambassador Module (diagnostics.enabled: false)\n");
    return true;
  }

  private void diag(RoutingContext ctx) {
    if (refusedAsDisabled(ctx)) {
      return;
    }
    boolean asJson = "true".equals(ctx.request().getParam("json"));
    // The page's live part alone, which the page fetches again on each config event.
    boolean livePart = "live".equals(ctx.request().getParam("part"));
    // Built and rendered on a worker: with thousands of resources it is too much for the loop.
    vertx
        .executeBlocking(
            () -> {
              ConfigState state = controlPlane.state();
              JsonObject report =
                  DiagReport.of(
                      state,
                      controlPlane.xds().publisher().current(),
                      controlPlane.xdsCallbacks(),
                      controlPlane.replicas());
              if (state != null) {
                for (AdminExtension extension : extensions) {
                  extension.annotate(state, report);
                }
              }
              if (asJson) {
                return report.encodePrettily();
              }
              return livePart ? DiagPage.renderLive(report) : DiagPage.render(report, sections());
            })
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader(
                        "content-type", asJson ? "application/json" : "text/html; charset=utf-8")
                    .end(body))
        .onFailure(ctx::fail);
  }

  private String sections() {
    StringBuilder out = new StringBuilder();
    extensions.forEach(e -> out.append(e.diagPageSection()));
    return out.toString();
  }

  /** Emissary's switch: the ambassador Module's {@code diagnostics.enabled}, true by default. */
  public static boolean diagnosticsEnabled(ConfigState state) {
    if (state == null) {
      return true;
    }
    return state.loaded().ofKind(Kind.MODULE, Module.class).stream()
        .filter(m -> m.name().equals("ambassador"))
        .map(m -> m.spec().config().diagnostics())
        .filter(d -> d != null)
        .allMatch(d -> d.enabled());
  }

  private void metrics(RoutingContext ctx) {
    vertx
        .executeBlocking(metrics::scrape)
        .onSuccess(
            text ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(text))
        .onFailure(ctx::fail);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    events.closeAll();
    extensions.forEach(AdminExtension::close);
    return server == null ? Future.succeededFuture() : server.close();
  }
}
