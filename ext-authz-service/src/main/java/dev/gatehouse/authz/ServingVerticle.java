package dev.gatehouse.authz;

import dev.gatehouse.authz.grpc.AuthorizationServer;
import dev.gatehouse.authz.http.HttpModeHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One event loop's listeners: gRPC ext_authz (h2c) and, when its port is not negative, the HTTP
 * mode. Several instances share the ports, one per event loop.
 */
final class ServingVerticle extends VerticleBase {
  private final String host;
  private final int grpcPort;
  private final int httpPort;
  private final Function<AuthzRequest, Future<Verdict>> authorizer;
  private final Supplier<String> pathPrefix;
  private HttpServer grpcServer;
  private HttpServer httpServer;

  ServingVerticle(
      String host,
      int grpcPort,
      int httpPort,
      Function<AuthzRequest, Future<Verdict>> authorizer,
      Supplier<String> pathPrefix) {
    this.host = host;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.authorizer = authorizer;
    this.pathPrefix = pathPrefix;
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc = AuthorizationServer.register(GrpcServer.server(vertx), authorizer);
    Future<HttpServer> grpcListening =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost(host)
                    .setPort(grpcPort)
                    .setHttp2ClearTextEnabled(true)
                    .setTcpNoDelay(true))
            .requestHandler(grpc)
            .listen()
            .onSuccess(s -> grpcServer = s);
    if (httpPort < 0) {
      return grpcListening;
    }
    Future<HttpServer> httpListening =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(host).setPort(httpPort))
            .requestHandler(new HttpModeHandler(authorizer, pathPrefix))
            .listen()
            .onSuccess(s -> httpServer = s);
    return Future.all(grpcListening, httpListening);
  }

  int grpcPort() {
    return grpcServer.actualPort();
  }

  int httpPort() {
    return httpServer == null ? -1 : httpServer.actualPort();
  }
}
