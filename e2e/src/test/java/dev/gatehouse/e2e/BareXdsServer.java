package dev.gatehouse.e2e;

import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.Compiler;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpcio.server.GrpcIoServer;
import io.vertx.grpcio.server.GrpcIoServiceBridge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A java-control-plane ADS server that the drill feeds by hand, with xDS compiled by Gatehouse's
 * own compiler from Mapping YAML and then edited: for what Gatehouse's control plane cannot emit
 * yet (several endpoints in one cluster, which come with EDS from the Kubernetes source).
 */
final class BareXdsServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleCache<String> cache = new SimpleCache<>(node -> "all");
  private final HttpServer server;
  private int version;

  BareXdsServer() throws Exception {
    V3DiscoveryServer discovery = new V3DiscoveryServer(cache);
    GrpcIoServer grpc = GrpcIoServer.server(vertx);
    GrpcIoServiceBridge.bridge(discovery.getAggregatedDiscoveryServiceImpl()).bind(grpc);
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
            .requestHandler(grpc)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** Compiles {@code yaml} as the control plane would, edits its clusters, and serves it. */
  CompiledConfig serve(
      String yaml, int httpPort, int httpsPort, UnaryOperator<Cluster> editCluster) {
    var loaded = new ResourceLoader().addText(yaml, "drill.yaml").result();
    if (!loaded.errors().isEmpty()) {
      throw new IllegalArgumentException("drill.yaml: " + loaded.errors());
    }
    CompiledConfig compiled =
        new Compiler(new CompilerOptions("127.0.0.1", httpPort, httpsPort)).compile(loaded);
    List<Cluster> clusters = compiled.clusters().stream().map(editCluster).toList();
    version++;
    String v = Integer.toString(version);
    cache.setSnapshot(
        "all",
        Snapshot.create(
            clusters,
            v,
            List.of(),
            v,
            compiled.listeners(),
            v,
            compiled.routes(),
            v,
            List.of(),
            v));
    return compiled;
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
