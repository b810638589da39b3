package dev.gatehouse.bench.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The least a reverse proxy on Vert.x's HTTP server and client can do: forward method, URI and
 * headers to one upstream and copy the answer back, nothing else (no routing, header rules,
 * retries, metrics or access log). bench/edge-proxy runs it beside edge-proxy so the figures
 * separate what the Vert.x stack costs on this machine from what Gatehouse adds on top of it.
 *
 * <p>Arguments: port upstream-port [event-loops=1]
 */
public final class BareVertxProxy {
  private BareVertxProxy() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int loops = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    HttpClientAgent client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(1024).setEventLoopSize(0))
            .build();
    SocketAddress upstream = SocketAddress.inetSocketAddress(upstreamPort, "127.0.0.1");
    for (int i = 0; i < loops; i++) {
      vertx
          .createHttpServer()
          .requestHandler(request -> forward(client, upstream, request))
          .listen(port, "127.0.0.1")
          .await();
    }
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void forward(
      HttpClientAgent client, SocketAddress upstream, HttpServerRequest request) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setServer(upstream)
            .setHost(upstream.host())
            .setPort(upstream.port())
            .setURI(request.uri());
    request
        .body()
        .compose(
            body ->
                client
                    .request(options)
                    .compose(
                        outgoing -> {
                          outgoing.headers().addAll(request.headers());
                          return outgoing.send(body);
                        }))
        .onSuccess(
            answer -> {
              request.response().setStatusCode(answer.statusCode());
              request.response().headers().addAll(answer.headers());
              answer.body().onSuccess(body -> request.response().end(body));
            })
        .onFailure(error -> request.response().setStatusCode(502).end());
  }
}
