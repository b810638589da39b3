package dev.gatehouse.proxy.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running cluster: its connection pool (one Vert.x HTTP client, HTTP/1.1 keep-alive or h2
 * multiplexed), the endpoint picker, circuit-breaker counters, outlier detection and the active
 * health checker. Replaced whole when its settings change; kept (with its connections and endpoint
 * state) when an update leaves them equal.
 */
public final class ClusterRuntime implements AutoCloseable {
  private final ClusterSettings settings;
  private final HttpClientAgent client;
  private final EndpointPicker picker;
  private final OutlierDetector outliers;
  private final HealthChecker healthChecker;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger activeRetries = new AtomicInteger();
  private final io.vertx.grpc.client.GrpcClient grpc;

  public ClusterRuntime(Vertx vertx, ClusterSettings settings) {
    this.settings = settings;
    this.client =
        vertx.httpClientBuilder().with(clientOptions(settings)).with(poolOptions(settings)).build();
    this.picker = new EndpointPicker(settings);
    this.outliers = new OutlierDetector(settings.outlier(), settings.endpoints());
    this.healthChecker =
        settings.healthCheck() == null ? null : new HealthChecker(vertx, client, settings);
    this.grpc = io.vertx.grpc.client.GrpcClient.client(vertx, client);
  }

  private static HttpClientOptions clientOptions(ClusterSettings settings) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout(
                (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
            .setKeepAlive(true)
            .setIdleTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()))
            .setDecompressionSupported(false)
            .setMaxInitialLineLength(16 * 1024)
            .setMaxHeaderSize(96 * 1024);
    if (settings.http2()) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
    ClusterSettings.UpstreamTls tls = settings.tls();
    if (tls != null) {
      options.setSsl(true).setForceSni(true).setVerifyHost(true);
      if (!tls.alpn().isEmpty() || settings.http2()) {
        options
            .setUseAlpn(true)
            .setAlpnVersions(
                settings.http2() ? List.of(HttpVersion.HTTP_2) : List.of(HttpVersion.HTTP_1_1));
      }
      if (tls.certChainFile() != null) {
        options.setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(tls.certChainFile())
                .setKeyPath(tls.privateKeyFile()));
      }
      if (tls.trustedCaFile() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(tls.trustedCaFile()));
      }
    }
    return options;
  }

  private static PoolOptions poolOptions(ClusterSettings settings) {
    ClusterSettings.Thresholds limits = settings.thresholds();
    return new PoolOptions()
        .setHttp1MaxSize(Math.max(1, limits.maxConnections()))
        .setHttp2MaxSize(Math.max(1, Math.min(limits.maxConnections(), 8)))
        .setMaxWaitQueueSize(limits.maxPendingRequests())
        // Connections on the event loop of the request that opens them: no hop between loops.
        .setEventLoopSize(0);
  }

  public ClusterSettings settings() {
    return settings;
  }

  public String name() {
    return settings.name();
  }

  public HttpClientAgent client() {
    return client;
  }

  /** A gRPC client over this cluster's connections, for the ext_authz and rate-limit services. */
  public io.vertx.grpc.client.GrpcClient grpc() {
    return grpc;
  }

  /** Starts active health checks, if the cluster has them. */
  public void start() {
    if (healthChecker != null) {
      healthChecker.start();
    }
  }

  /**
   * Takes a request slot, or fails with {@link Overloaded} past max_requests; the caller must
   * {@link #release()} it when the request ends, whatever the outcome.
   */
  public void acquire() {
    if (activeRequests.incrementAndGet() > settings.thresholds().maxRequests()) {
      activeRequests.decrementAndGet();
      throw new Overloaded(
          "cluster "
              + name()
              + ": max_requests "
              + settings.thresholds().maxRequests()
              + " reached");
    }
  }

  public void release() {
    activeRequests.decrementAndGet();
  }

  /** Takes a retry slot; false past max_retries, and the request is not retried. */
  public boolean tryRetry() {
    if (activeRetries.incrementAndGet() > settings.thresholds().maxRetries()) {
      activeRetries.decrementAndGet();
      return false;
    }
    return true;
  }

  public void retryDone() {
    activeRetries.decrementAndGet();
  }

  /** An endpoint for one attempt; {@code avoid} is the previous attempt's endpoint, if any. */
  public Endpoint pick(long hash, Endpoint avoid) {
    return picker.pick(hash, System.nanoTime(), avoid);
  }

  /**
   * Records an attempt's result for outlier detection: a status, or 0 for a connection error. True
   * when it ejected the endpoint.
   */
  public boolean record(Endpoint endpoint, int status) {
    return outliers.record(endpoint, status, System.nanoTime());
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  @Override
  public void close() {
    if (healthChecker != null) {
      healthChecker.stop();
    }
    client.close();
  }
}
