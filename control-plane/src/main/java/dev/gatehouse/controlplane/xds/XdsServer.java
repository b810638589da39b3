package dev.gatehouse.controlplane.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpcio.server.GrpcIoServer;
import io.vertx.grpcio.server.GrpcIoServiceBridge;
import java.util.List;

/**
 * The xDS gRPC server: java-control-plane's {@link V3DiscoveryServer} (ADS, and CDS, LDS, RDS, EDS,
 * SDS state of the world) served on a Vert.x HTTP/2 server through {@link GrpcIoServiceBridge}, in
 * the same process as everything else. Every node gets the same snapshot (one node group).
 */
public final class XdsServer {
  /** The one node group: all proxies get the same configuration. */
  public static final String GROUP = "gatehouse";

  private final Vertx vertx;
  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final XdsCallbacks callbacks;
  private final SnapshotPublisher publisher;
  private final RoutePacker packer = new RoutePacker();
  private HttpServer server;

  public XdsServer(Vertx vertx, XdsCallbacks callbacks) {
    this(vertx, callbacks, SnapshotPublisher.DEFAULT_GRACE);
  }

  /**
   * @param clusterGrace how long a cluster that a new configuration removed is still served
   */
  public XdsServer(Vertx vertx, XdsCallbacks callbacks, java.time.Duration clusterGrace) {
    this.vertx = vertx;
    this.callbacks = callbacks;
    this.publisher = new SnapshotPublisher(cache, clusterGrace, packer);
  }

  /**
   * Binds on {@code host:port} (0 for any free port) on its own Vert.x context; snapshots are
   * published on that context so that watch responses are written from one thread at a time.
   */
  public Future<XdsServer> listen(String host, int port) {
    Context context = vertx.getOrCreateContext();
    publisher.bindTo(context);
    V3DiscoveryServer discovery =
        new V3DiscoveryServer(List.of(callbacks), cache, new DefaultExecutorGroup(), packer);
    GrpcIoServer grpc = GrpcIoServer.server(vertx);
    for (io.grpc.BindableService service :
        List.of(
            discovery.getAggregatedDiscoveryServiceImpl(),
            discovery.getClusterDiscoveryServiceImpl(),
            discovery.getEndpointDiscoveryServiceImpl(),
            discovery.getListenerDiscoveryServiceImpl(),
            discovery.getRouteDiscoveryServiceImpl(),
            discovery.getSecretDiscoveryServiceImpl())) {
      GrpcIoServiceBridge.bridge(service).bind(grpc);
    }
    Future<HttpServer> listening =
        Future.future(
            promise ->
                context.runOnContext(
                    v ->
                        vertx
                            .createHttpServer(
                                new HttpServerOptions()
                                    .setHost(host)
                                    .setPort(port)
                                    .setHttp2ClearTextEnabled(true))
                            .requestHandler(grpc)
                            .listen()
                            .onComplete(promise)));
    return listening.map(
        s -> {
          this.server = s;
          return this;
        });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
