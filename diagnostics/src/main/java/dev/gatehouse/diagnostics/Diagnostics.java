package dev.gatehouse.diagnostics;

import dev.gatehouse.controlplane.ConfigState;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.admin.AdminExtension;
import dev.gatehouse.controlplane.admin.AdminServer;
import dev.gatehouse.diagnostics.explain.ExplainRequest;
import dev.gatehouse.diagnostics.explain.ExplainText;
import dev.gatehouse.diagnostics.explain.Explainer;
import dev.gatehouse.diagnostics.portal.DevPortal;
import dev.gatehouse.proxy.xds.XdsException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The control plane's admin port, extended: {@code /ambassador/v0/explain}, the explain form on the
 * diag page, the developer portal at {@code /docs/}, and each endpoint's live state on the diag
 * page when an edge-proxy admin address is given. {@link #install} is the one call a command makes.
 */
public final class Diagnostics implements AdminExtension {
  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final DevPortal portal;
  private final EndpointStates endpointStates;
  // The explainer of the latest configuration: edge-proxy's compiled view, built once per config.
  private volatile Cached cached;

  private record Cached(long generation, Explainer explainer) {}

  private Diagnostics(Vertx vertx, ControlPlane controlPlane, DiagnosticsOptions options) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.portal =
        new DevPortal(
            vertx,
            options,
            () -> controlPlane.state() == null ? null : controlPlane.state().loaded());
    this.endpointStates =
        options.edgeProxyAdminUrl() == null
            ? null
            : new EndpointStates(options.edgeProxyAdminUrl());
  }

  /** Adds explain, the portal and live endpoint state to a control plane not yet started. */
  public static Diagnostics install(
      Vertx vertx, ControlPlane controlPlane, DiagnosticsOptions options) {
    Diagnostics diagnostics = new Diagnostics(vertx, controlPlane, options);
    controlPlane.extendAdmin(diagnostics);
    // Watcher thread: hop to the event loop, where the portal's web client runs.
    controlPlane.onApplied(state -> vertx.runOnContext(v -> diagnostics.portal.refresh()));
    return diagnostics;
  }

  public DevPortal portal() {
    return portal;
  }

  @Override
  public void addRoutes(Router router) {
    router.get("/ambassador/v0/explain").handler(this::explain);
    portal.addRoutes(router);
    vertx.runOnContext(v -> portal.start());
  }

  @Override
  public void close() {
    portal.stop();
  }

  @Override
  public String diagPageSection() {
    return ExplainForm.HTML;
  }

  @Override
  public void annotate(ConfigState state, JsonObject report) {
    try {
      explainer(state).annotateRoutes(report.getJsonArray("routes"));
    } catch (XdsException e) {
      report.put("explain_error", "edge-proxy would refuse this configuration: " + e.getMessage());
    }
    if (endpointStates != null) {
      endpointStates.annotate(report);
    }
  }

  private void explain(RoutingContext ctx) {
    var params = ctx.request().params();
    boolean html = "true".equals(params.get("html"));
    ConfigState state = controlPlane.state();
    if (!AdminServer.diagnosticsEnabled(state)) {
      fail(
          ctx,
          404,
          "diagnostics are disabled by the ambassador Module (diagnostics.enabled: false)",
          html);
      return;
    }
    if (state == null) {
      ctx.response().setStatusCode(503).end("no configuration loaded yet\n");
      return;
    }
    ExplainRequest request;
    try {
      request =
          new ExplainRequest(
              params.get("method") == null ? "GET" : params.get("method"),
              params.get("scheme"),
              params.get("host"),
              params.get("path"),
              ExplainRequest.headers(params.getAll("header")),
              params.get("client"));
    } catch (IllegalArgumentException e) {
      fail(ctx, 400, "explain: " + e.getMessage(), html);
      return;
    }
    vertx
        .executeBlocking(() -> explainer(state).explain(request))
        .onSuccess(
            explained -> {
              if (html) {
                ctx.response()
                    .putHeader("content-type", "text/html; charset=utf-8")
                    .end(ExplainForm.result(ExplainText.render(explained)));
              } else {
                ctx.response()
                    .putHeader("content-type", "application/json")
                    .end(explained.encodePrettily());
              }
            })
        .onFailure(
            e ->
                fail(
                    ctx,
                    500,
                    "explain: "
                        + (e instanceof XdsException
                            ? "edge-proxy would refuse this configuration: "
                            : "")
                        + e.getMessage(),
                    html));
  }

  private static void fail(RoutingContext ctx, int status, String message, boolean html) {
    if (html) {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "text/html; charset=utf-8")
          .end(ExplainForm.result(message));
    } else {
      ctx.response().setStatusCode(status).end(message + "\n");
    }
  }

  private Explainer explainer(ConfigState state) {
    Cached current = cached;
    if (current != null && current.generation() == state.generation()) {
      return current.explainer();
    }
    Explainer explainer = new Explainer(state.loaded(), state.compiled());
    cached = new Cached(state.generation(), explainer);
    return explainer;
  }
}
