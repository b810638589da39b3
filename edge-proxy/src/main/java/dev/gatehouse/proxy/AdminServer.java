package dev.gatehouse.proxy;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.proxy.xds.XdsResources;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The admin port, with Envoy's pages where they exist: {@code /ready}, {@code /live}, {@code
 * /clusters} (every endpoint with its health and ejection), {@code /config_dump} (the xDS in force,
 * as JSON), and Emissary's probe paths.
 */
final class AdminServer {
  private final Vertx vertx;
  private final EdgeProxy proxy;
  private HttpServer server;

  AdminServer(Vertx vertx, EdgeProxy proxy) {
    this.vertx = vertx;
    this.proxy = proxy;
  }

  Future<Integer> start(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/ready").handler(this::ready);
    router.get("/ambassador/v0/check_ready").handler(this::ready);
    router.get("/live").handler(ctx -> ctx.response().end("LIVE\n"));
    router.get("/ambassador/v0/check_alive").handler(ctx -> ctx.response().end("LIVE\n"));
    router.get("/clusters").handler(this::clusters);
    router.get("/config_dump").handler(this::configDump);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4")
                    .end(proxy.metrics().scrape()));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host == null ? "0.0.0.0" : host).map(HttpServer::actualPort);
  }

  int port() {
    return server == null ? -1 : server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void ready(RoutingContext ctx) {
    boolean ready = proxy.ready();
    ctx.response().setStatusCode(ready ? 200 : 503).end(ready ? "LIVE\n" : "NOT READY\n");
  }

  /** Envoy's text format: {@code cluster::address::field::value}. */
  private void clusters(RoutingContext ctx) {
    StringBuilder out = new StringBuilder();
    long now = System.nanoTime();
    for (ClusterRuntime cluster : new TreeMap<>(proxy.snapshot().clusters()).values()) {
      for (Endpoint endpoint : cluster.settings().endpoints()) {
        String prefix = cluster.name() + "::" + endpoint.address() + "::";
        String flags =
            (endpoint.state().activeHealth()
                        == dev.gatehouse.proxy.upstream.EndpointState.Health.UNHEALTHY
                    ? "/failed_active_hc"
                    : "")
                + (endpoint.state().ejected(now) ? "/failed_outlier_check" : "");
        out.append(prefix)
            .append("health_flags::")
            .append(flags.isEmpty() ? "healthy" : flags.substring(1))
            .append('\n');
        out.append(prefix).append("weight::").append(endpoint.weight()).append('\n');
        out.append(prefix)
            .append("rq_active::")
            .append(endpoint.state().activeRequests().get())
            .append('\n');
        out.append(prefix).append("ejections::").append(endpoint.state().ejections()).append('\n');
      }
    }
    ctx.response().putHeader("content-type", "text/plain").end(out.toString());
  }

  private void configDump(RoutingContext ctx) {
    XdsResources resources = proxy.ads().resources();
    StringBuilder out = new StringBuilder("{\n  \"versions\": ");
    out.append(
        new io.vertx.core.json.JsonObject(new TreeMap<String, Object>(proxy.ads().versions()))
            .encode());
    section(out, "listeners", resources.listeners().values());
    section(out, "routes", resources.routes().values());
    section(out, "clusters", resources.clusters().values());
    section(out, "endpoints", resources.assignments().values());
    out.append("\n}\n");
    ctx.response().putHeader("content-type", "application/json").end(out.toString());
  }

  private static void section(
      StringBuilder out, String name, Collection<? extends Message> messages) {
    out.append(",\n  \"").append(name).append("\": [");
    boolean first = true;
    for (Message message : messages) {
      out.append(first ? "\n" : ",\n").append(print(message));
      first = false;
    }
    out.append("]");
  }

  private static String print(Message message) {
    try {
      return JsonFormat.printer().usingTypeRegistry(TypeRegistryHolder.REGISTRY).print(message);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return "{\"error\": \"" + e.getMessage().replace("\"", "'") + "\"}";
    }
  }
}
