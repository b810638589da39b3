package dev.gatehouse.authz;

import dev.gatehouse.authz.http.HttpModeHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One event loop's listener of the HTTP mode. Several instances share the port, one per event loop.
 * (The gRPC listener is a {@link dev.gatehouse.grpc.UnaryGrpcServer} of its own.)
 */
final class ServingVerticle extends VerticleBase {
  private final String host;
  private final int httpPort;
  private final Function<AuthzRequest, Future<Verdict>> authorizer;
  private final Supplier<String> pathPrefix;
  private HttpServer httpServer;

  ServingVerticle(
      String host,
      int httpPort,
      Function<AuthzRequest, Future<Verdict>> authorizer,
      Supplier<String> pathPrefix) {
    this.host = host;
    this.httpPort = httpPort;
    this.authorizer = authorizer;
    this.pathPrefix = pathPrefix;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(host).setPort(httpPort))
        .requestHandler(new HttpModeHandler(authorizer, pathPrefix))
        .listen()
        .onSuccess(s -> httpServer = s);
  }

  int httpPort() {
    return httpServer.actualPort();
  }
}
