package dev.gatehouse.diagnostics.portal;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.diagnostics.DiagnosticsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The developer portal at {@code /docs/}: lists every API of the configuration with its document or
 * the error that kept it away, and renders each document with Swagger UI, served from the webjar in
 * this jar. Documents are fetched with the Vert.x web client when the configuration changes and
 * every {@link DiagnosticsOptions#docsRefresh()}; the last fetched document of an API stays until a
 * fetch replaces it.
 */
public final class DevPortal {
  private static final Logger LOG = LoggerFactory.getLogger(DevPortal.class);
  static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";

  private final Vertx vertx;
  private final WebClient client;
  private final DiagnosticsOptions options;
  private final Supplier<LoadResult> config;
  // Replaced whole; read by the request handlers.
  private volatile Map<String, ApiDoc> apis = Map.of();
  private volatile long timer = -1;

  public DevPortal(Vertx vertx, DiagnosticsOptions options, Supplier<LoadResult> config) {
    this.vertx = vertx;
    // A connection per fetch: documents are fetched rarely, and a pooled connection that an
    // upstream closed would only turn into a spurious error.
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
    this.options = options;
    this.config = config;
  }

  public void addRoutes(Router router) {
    // Vert.x Web matches a path with or without its trailing slash: /docs is /docs/.
    router.get("/docs/").handler(this::index);
    router.get("/docs/apis.json").handler(this::list);
    router.get("/docs/api/:id/").handler(this::page);
    router.get("/docs/api/:id/openapi").handler(this::document);
    router.get("/docs/swagger-ui/*").handler(StaticHandler.create(SWAGGER_UI));
  }

  /** Fetches now, then every refresh interval. */
  public void start() {
    refresh();
    timer = vertx.setPeriodic(options.docsRefresh().toMillis(), id -> refresh());
  }

  /** Stops the periodic refresh. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  public List<ApiDoc> apis() {
    return List.copyOf(apis.values());
  }

  /** Re-reads the catalog from the configuration and fetches every document. */
  public Future<Void> refresh() {
    LoadResult loaded = config.get();
    if (loaded == null) {
      return Future.succeededFuture();
    }
    Map<String, ApiDoc> next = new LinkedHashMap<>();
    synchronized (this) {
      Map<String, ApiDoc> previous = apis;
      for (ApiDoc api :
          ApiCatalog.of(loaded, options.docsBaseUrl(), (int) options.docsTimeout().toMillis())) {
        next.put(api.id(), api.keeping(previous.get(api.id())));
      }
      apis = next;
    }
    List<Future<Void>> fetches =
        next.values().stream().map(api -> fetch(api).<Void>mapEmpty()).toList();
    return Future.join(fetches).mapEmpty();
  }

  private Future<ApiDoc> fetch(ApiDoc api) {
    var request = client.getAbs(api.url()).timeout(api.timeoutMs());
    if (api.hostHeader() != null) {
      request.virtualHost(api.hostHeader());
    }
    return request
        .send()
        .map(response -> read(api, response))
        .recover(e -> Future.succeededFuture(api.failed(api.url() + ": " + e.getMessage(), now())))
        .onSuccess(
            done -> {
              store(api, done);
              // Once per new error, not on every refresh.
              if (done.error() != null && !done.error().equals(api.error())) {
                LOG.warn(
                    "developer portal: {} ({}): {}", api.mapping(), api.source(), done.error());
              }
            });
  }

  /** Keeps a fetch's result, if the API is still the one fetched (the config may have moved). */
  private synchronized void store(ApiDoc api, ApiDoc done) {
    ApiDoc present = apis.get(api.id());
    if (present != null && present.url().equals(api.url())) {
      Map<String, ApiDoc> current = new LinkedHashMap<>(apis);
      current.put(api.id(), done);
      apis = current;
    }
  }

  private static ApiDoc read(ApiDoc api, HttpResponse<io.vertx.core.buffer.Buffer> response) {
    if (response.statusCode() / 100 != 2) {
      return api.failed(api.url() + ": HTTP " + response.statusCode() + " (expected: 2xx)", now());
    }
    String text = response.bodyAsString();
    String problem = OpenApiCheck.problem(text);
    if (problem != null) {
      return api.failed(api.url() + ": " + problem, now());
    }
    String type = text.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
    return api.fetched(text, type, now());
  }

  private static Instant now() {
    return Instant.now();
  }

  private void index(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .end(PortalPages.index(apis()));
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (ApiDoc api : apis()) {
      out.add(
          new JsonObject()
              .put("id", api.id())
              .put("name", api.displayName())
              .put("mapping", api.mapping())
              .put("source", api.source())
              .put("url", api.url())
              .put("ok", api.document() != null)
              .put("error", api.error())
              .put("fetched_at", api.fetchedAt() == null ? null : api.fetchedAt().toString()));
    }
    ctx.response().putHeader("content-type", "application/json").end(out.encodePrettily());
  }

  private void page(RoutingContext ctx) {
    ApiDoc api = apis.get(ctx.pathParam("id"));
    if (api == null) {
      ctx.response().setStatusCode(404).end("no API " + ctx.pathParam("id") + "\n");
      return;
    }
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(PortalPages.api(api));
  }

  private void document(RoutingContext ctx) {
    ApiDoc api = apis.get(ctx.pathParam("id"));
    if (api == null || api.document() == null) {
      ctx.response()
          .setStatusCode(404)
          .end(api == null ? "no API " + ctx.pathParam("id") + "\n" : api.error() + "\n");
      return;
    }
    ctx.response().putHeader("content-type", api.contentType()).end(api.document());
  }
}
