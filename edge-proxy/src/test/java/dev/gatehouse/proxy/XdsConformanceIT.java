package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import dev.gatehouse.proxy.upstream.Endpoint;
import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.grpcio.server.GrpcIoServer;
import io.vertx.grpcio.server.GrpcIoServiceBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * edge-proxy against a bare java-control-plane xDS server that the test drives by hand: what a
 * third-party control plane would send, including resources Gatehouse's own does not produce
 * (inline SDS secrets) and ones edge-proxy must refuse.
 */
class XdsConformanceIT {
  @RegisterExtension static EchoUpstream upstream = new EchoUpstream("upstream");

  private final Vertx vertx = Vertx.vertx();
  private final SimpleCache<String> cache = new SimpleCache<>(node -> "all");
  private final XdsCallbacks callbacks = new XdsCallbacks();
  private HttpServer xds;
  private EdgeProxy proxy;
  private int version;
  private Cluster served; // the cluster served, when not cluster()

  @BeforeEach
  void start() throws Exception {
    V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(callbacks), cache);
    GrpcIoServer grpc = GrpcIoServer.server(vertx);
    GrpcIoServiceBridge.bridge(discovery.getAggregatedDiscoveryServiceImpl()).bind(grpc);
    xds =
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
            .requestHandler(grpc)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    proxy =
        new EdgeProxy(
                vertx,
                new EdgeProxyOptions(
                    List.of(new EdgeProxyOptions.Address("127.0.0.1", xds.actualPort())),
                    "conformance",
                    "edge-proxy",
                    "127.0.0.1",
                    0))
            .start()
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private static Cluster cluster() {
    return dev.gatehouse.proxy.xds.StaticClusters.at("upstream", upstream.port());
  }

  private static RouteConfiguration routes() {
    return RouteConfiguration.newBuilder()
        .setName("routes")
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("any")
                .addDomains("*")
                .addRoutes(
                    Route.newBuilder()
                        .setName("all")
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(RouteAction.newBuilder().setCluster("upstream"))))
        .build();
  }

  private static Listener listener(
      int port, TransportSocket tls, HttpConnectionManager.Builder hcm) {
    FilterChain.Builder chain =
        FilterChain.newBuilder()
            .addFilters(
                Filter.newBuilder()
                    .setName("envoy.filters.network.http_connection_manager")
                    .setTypedConfig(
                        Any.pack(
                            hcm.setStatPrefix("ingress")
                                .setRds(
                                    Rds.newBuilder()
                                        .setConfigSource(ADS)
                                        .setRouteConfigName("routes"))
                                .addHttpFilters(
                                    HttpFilter.newBuilder()
                                        .setName("envoy.filters.http.router")
                                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                                .build())));
    if (tls != null) {
      chain.setTransportSocket(tls);
    }
    return Listener.newBuilder()
        .setName("listener")
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port)))
        .addFilterChains(chain)
        .build();
  }

  private void serve(Listener listener, List<Secret> secrets) {
    serve(listener, secrets, routes());
  }

  private void serve(Listener listener, List<Secret> secrets, RouteConfiguration routes) {
    version++;
    cache.setSnapshot(
        "all",
        Snapshot.create(
            List.of(served != null ? served : cluster()),
            "c" + version,
            List.of(),
            "e" + version,
            List.of(listener),
            "l" + version,
            List.of(routes),
            "r" + version,
            secrets,
            "s" + version));
  }

  /**
   * 10,000 Mappings make an RDS response of about a megabyte, past gRPC's usual 256 KiB or 4 MiB
   * default message limits; the ADS stream must take it rather than fail and reconnect forever.
   */
  @Test
  void anEndpointChangeKeepsTheRunningClusterAndAnyOtherChangeReplacesIt() throws Exception {
    Listener listener = listener(FreePorts.next(), null, HttpConnectionManager.newBuilder());
    serve(listener, List.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> proxy.snapshot().clusters().containsKey("upstream"));
    ClusterRuntime running = proxy.snapshot().clusters().get("upstream");
    Endpoint endpoint = running.settings().endpoints().get(0);

    Cluster scaled = cluster();
    scaled =
        scaled.toBuilder()
            .setLoadAssignment(
                scaled.getLoadAssignment().toBuilder()
                    .setEndpoints(
                        0,
                        scaled.getLoadAssignment().getEndpoints(0).toBuilder()
                            .addLbEndpoints(
                                dev.gatehouse.proxy.xds.StaticClusters.at("other", 1)
                                    .getLoadAssignment()
                                    .getEndpoints(0)
                                    .getLbEndpoints(0))))
            .build();
    served = scaled;
    serve(listener, List.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> proxy.snapshot().clusters().get("upstream").settings().endpoints().size() == 2);
    assertThat(proxy.snapshot().clusters().get("upstream")).isSameAs(running);
    assertThat(running.settings().endpoints().get(0)).isSameAs(endpoint);

    served =
        scaled.toBuilder()
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3))
            .build();
    serve(listener, List.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> proxy.snapshot().clusters().get("upstream") != running);
    assertThat(callbacks.nacks()).isZero();
  }

  /**
   * Receiving, applying and acknowledging an update takes milliseconds of CPU: on a loop that also
   * serves requests, every request queued there would wait for it.
   */
  @Test
  void theXdsStreamRunsOnALoopThatServesNoRequest() throws Exception {
    serve(listener(FreePorts.next(), null, HttpConnectionManager.newBuilder()), List.of());
    await().atMost(Duration.ofSeconds(10)).until(proxy::ready);
    java.util.concurrent.CompletableFuture<Thread> ads =
        new java.util.concurrent.CompletableFuture<>();
    proxy.ads().context().runOnContext(v -> ads.complete(Thread.currentThread()));
    Thread adsThread = ads.get(10, TimeUnit.SECONDS);
    // Listeners serve on the loops of Vert.x's event-loop group, whichever of them they are given.
    List<Thread> serving = new java.util.ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor loop :
        ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      serving.add(loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
    }
    assertThat(serving).isNotEmpty().doesNotContain(adsThread);
    assertThat(proxy.ads().context().isEventLoopContext()).isTrue();
  }

  @Test
  void aRouteConfigurationOfSeveralMegabytesIsApplied() throws Exception {
    VirtualHost.Builder host = routes().getVirtualHosts(0).toBuilder().clearRoutes();
    for (int i = 0; i < 40_000; i++) {
      host.addRoutes(
          Route.newBuilder()
              .setName("extra-" + i)
              .setMatch(RouteMatch.newBuilder().setPrefix("/extra/" + i + "/"))
              .setRoute(
                  RouteAction.newBuilder()
                      .setCluster("upstream")
                      .setPrefixRewrite("/rewritten/for/mapping/" + i + "/")));
    }
    host.addAllRoutes(routes().getVirtualHosts(0).getRoutesList());
    RouteConfiguration big = routes().toBuilder().setVirtualHosts(0, host).build();
    assertThat(big.getSerializedSize()).isGreaterThan(2 * 1024 * 1024);
    int port = FreePorts.next();

    serve(listener(port, null, HttpConnectionManager.newBuilder()), List.of(), big);

    var client = vertx.createHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .request(HttpMethod.GET, port, "127.0.0.1", "/extra/39999/x")
                        .compose(r -> r.send())
                        .map(r -> r.statusCode())
                        .await(5, TimeUnit.SECONDS)
                    == 200);
    assertThat(callbacks.nacks()).isZero();
  }

  @Test
  void aTlsListenerServesTheCertificateOfItsSdsSecret() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Secret secret =
        Secret.newBuilder()
            .setName("edge-cert")
            .setTlsCertificate(
                TlsCertificate.newBuilder()
                    .setCertificateChain(
                        DataSource.newBuilder()
                            .setInlineString(
                                Files.readString(Path.of(certificate.certificatePath()))))
                    .setPrivateKey(
                        DataSource.newBuilder()
                            .setInlineString(
                                Files.readString(Path.of(certificate.privateKeyPath())))))
            .build();
    TransportSocket tls =
        TransportSocket.newBuilder()
            .setName("envoy.transport_sockets.tls")
            .setTypedConfig(
                Any.pack(
                    DownstreamTlsContext.newBuilder()
                        .setCommonTlsContext(
                            CommonTlsContext.newBuilder()
                                .addAlpnProtocols("h2")
                                .addAlpnProtocols("http/1.1")
                                .addTlsCertificateSdsSecretConfigs(
                                    SdsSecretConfig.newBuilder()
                                        .setName("edge-cert")
                                        .setSdsConfig(ADS)))
                        .build()))
            .build();
    int port = FreePorts.next();

    serve(listener(port, tls, HttpConnectionManager.newBuilder()), List.of(secret));

    var client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(certificate.trustOptions())
                .setVerifyHost(false));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .request(HttpMethod.GET, port, "localhost", "/tls")
                        .compose(r -> r.send())
                        .map(r -> r.statusCode())
                        .await(5, TimeUnit.SECONDS)
                    == 200);
  }

  @Test
  void anUnsupportedFieldIsNackedWithItsNameAndThePreviousConfigurationKeepsServing()
      throws Exception {
    int port = FreePorts.next();
    serve(listener(port, null, HttpConnectionManager.newBuilder()), List.of());
    var client = vertx.createHttpClient();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .request(HttpMethod.GET, port, "127.0.0.1", "/")
                        .compose(r -> r.send())
                        .map(r -> r.statusCode())
                        .await(5, TimeUnit.SECONDS)
                    == 200);
    long nacksBefore = callbacks.nacks();

    serve(
        listener(
            port,
            null,
            HttpConnectionManager.newBuilder()
                .setGenerateRequestId(com.google.protobuf.BoolValue.of(false))),
        List.of());

    await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.nacks() > nacksBefore);
    assertThat(callbacks.lastNack())
        .contains(
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.generate_request_id is not supported by edge-proxy");
    assertThat(
            client
                .request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(r -> r.send())
                .map(r -> r.statusCode())
                .await(5, TimeUnit.SECONDS))
        .isEqualTo(200);
    assertThat(proxy.ads().versions())
        .containsEntry("type.googleapis.com/envoy.config.listener.v3.Listener", "l1");
  }
}
