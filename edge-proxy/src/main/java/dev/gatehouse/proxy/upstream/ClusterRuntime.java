package dev.gatehouse.proxy.upstream;

import com.google.protobuf.Message;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running cluster: its connection pools (Vert.x HTTP clients, HTTP/1.1 keep-alive or h2
 * multiplexed), the endpoint picker, circuit-breaker counters, outlier detection and the active
 * health checker. Replaced whole when its settings change; kept (with its connections and endpoint
 * state) when an update leaves them equal. An update that changes only the endpoints (EDS: a
 * deployment scaled up or down) is applied in place, as Envoy does: the connection pools stay, and
 * every endpoint that remains keeps its state (health, ejections, requests in flight).
 *
 * <p>Like Envoy's per-worker pools, each event loop that sends requests has a pool of its own, so a
 * request and its upstream connection always share a thread. Vert.x's shared pool hands a request
 * the connection that answered last, whatever loop that connection lives on, and every such request
 * then crosses threads twice (the write, then each response event), waking the other loop each
 * time. {@code max_connections} and {@code max_pending_requests} are divided evenly among the
 * listener's event loops; a cluster whose limit is smaller than the number of loops keeps one
 * shared pool instead, so that the limit stays exact. Health checks use a pool of their own, as
 * Envoy's do.
 */
public final class ClusterRuntime implements AutoCloseable {
  private final Vertx vertx;

  /** The settings that do not change over the cluster's life (all but the endpoints). */
  private final ClusterSettings settings;

  /** The endpoints now, and what picks among them; replaced whole by an endpoint update. */
  private record Members(
      ClusterSettings settings, EndpointPicker picker, OutlierDetector outliers) {
    static Members of(ClusterSettings settings) {
      return new Members(
          settings,
          new EndpointPicker(settings),
          new OutlierDetector(settings.outlier(), settings.endpoints()));
    }
  }

  private volatile Members members;

  /** How many pools share the connection limits: 1, or one per event loop serving requests. */
  private final int shares;

  /** The pool of requests sent from outside an event loop, and of health checks. */
  private final Pool shared;

  private final ConcurrentMap<EventLoop, Pool> byLoop = new ConcurrentHashMap<>();

  /** Unary gRPC calls over h2c, for the ext_authz and rate-limit services; made on first use. */
  private volatile UnaryGrpcChannels unary;

  private volatile boolean closed;
  private final HealthChecker healthChecker;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger activeRetries = new AtomicInteger();

  /**
   * @param loops the event loops that send requests to the cluster (the listener's instances)
   */
  public ClusterRuntime(Vertx vertx, ClusterSettings settings, int loops) {
    this.vertx = vertx;
    this.settings = settings;
    ClusterSettings.Thresholds limits = settings.thresholds();
    boolean divisible =
        limits.maxConnections() >= loops
            && (limits.maxPendingRequests() < 0 || limits.maxPendingRequests() >= loops);
    this.shares = divisible ? Math.max(1, loops) : 1;
    this.shared = new Pool(vertx, settings, shares);
    this.members = Members.of(settings);
    this.healthChecker =
        settings.healthCheck() == null ? null : new HealthChecker(vertx, shared.http, settings);
  }

  /** One connection pool, and a gRPC client over it. */
  private static final class Pool {
    final HttpClientAgent http;
    final GrpcClient grpc;

    Pool(Vertx vertx, ClusterSettings settings, int shares) {
      this.http =
          vertx
              .httpClientBuilder()
              .with(clientOptions(settings))
              .with(poolOptions(settings, shares))
              .build();
      this.grpc = GrpcClient.client(vertx, http);
    }
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

  private static PoolOptions poolOptions(ClusterSettings settings, int shares) {
    ClusterSettings.Thresholds limits = settings.thresholds();
    int connections = Math.max(1, limits.maxConnections() / shares);
    int pending = limits.maxPendingRequests();
    return new PoolOptions()
        .setHttp1MaxSize(connections)
        .setHttp2MaxSize(Math.max(1, Math.min(connections, 8)))
        .setMaxWaitQueueSize(pending < 0 ? pending : Math.max(1, pending / shares))
        // Connections on the event loop of the request that opens them.
        .setEventLoopSize(0);
  }

  /** The settings in force, with the endpoints now. */
  public ClusterSettings settings() {
    return members.settings();
  }

  /** Whether {@code next} differs from these settings in the endpoints only. */
  public boolean takesEndpointsOf(ClusterSettings next) {
    return settings.withEndpoints(next.endpoints()).equals(next);
  }

  /**
   * Takes the endpoints of {@code next} (see {@link #takesEndpointsOf}). An endpoint that remains
   * (same address and weight) stays the same object, with its state; requests in flight finish on
   * the endpoint they picked. Connections to a removed endpoint are not used again; they close at
   * the idle timeout or when the upstream closes them.
   */
  public void updateEndpoints(ClusterSettings next) {
    java.util.Map<Endpoint, Endpoint> now = new java.util.HashMap<>();
    for (Endpoint endpoint : members.settings().endpoints()) {
      now.put(endpoint, endpoint);
    }
    List<Endpoint> endpoints =
        next.endpoints().stream().map(endpoint -> now.getOrDefault(endpoint, endpoint)).toList();
    ClusterSettings updated = settings.withEndpoints(endpoints);
    members = Members.of(updated);
    if (healthChecker != null) {
      healthChecker.update(updated);
    }
  }

  public String name() {
    return settings.name();
  }

  /** The connection pool of the calling event loop. */
  public HttpClientAgent client() {
    return pool().http;
  }

  /** Vert.x's gRPC client over the calling event loop's connections. */
  private GrpcClient grpc() {
    return pool().grpc;
  }

  private Pool pool() {
    if (shares == 1 || closed) {
      return shared;
    }
    ContextInternal context = eventLoopContext();
    if (context == null) {
      return shared;
    }
    Pool pool =
        byLoop.computeIfAbsent(context.nettyEventLoop(), loop -> new Pool(vertx, settings, shares));
    if (closed) { // closed while this pool was made
      pool.http.close();
    }
    return pool;
  }

  /**
   * A unary gRPC call to {@code endpoint}, failing past {@code timeout} (none when zero). Over
   * cleartext from an event loop it goes through {@link UnaryGrpcChannels}, on the caller's thread;
   * over TLS, or from outside an event loop, through Vert.x's gRPC client.
   */
  public <Q extends Message, R extends Message> Future<R> unary(
      Endpoint endpoint, GrpcMethod<Q, R> method, Q request, Duration timeout) {
    long millis = timeout.toMillis();
    ContextInternal context = eventLoopContext();
    if (settings.tls() == null && context != null) {
      return channels().call(context, endpoint, method, request, millis);
    }
    return grpc()
        .request(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()), method.vertx())
        .compose(
            call -> (millis > 0 ? call.timeout(millis, TimeUnit.MILLISECONDS) : call).send(request))
        .compose(GrpcClientResponse::last);
  }

  /** The calling thread's Vert.x event-loop context, or null off an event loop. */
  private static ContextInternal eventLoopContext() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && context.isEventLoopContext()
        ? internal
        : null;
  }

  private UnaryGrpcChannels channels() {
    UnaryGrpcChannels channels = unary;
    if (channels == null) {
      synchronized (this) {
        channels = unary;
        if (channels == null) {
          channels =
              new UnaryGrpcChannels((VertxInternal) vertx, name(), settings.connectTimeout());
          unary = channels;
          if (closed) {
            channels.close();
          }
        }
      }
    }
    return channels;
  }

  /** How many pools hold connections now: the shared one, and one per event loop that used it. */
  int pools() {
    return 1 + byLoop.size();
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
    return members.picker().pick(hash, System.nanoTime(), avoid);
  }

  /**
   * Records an attempt's result for outlier detection: a status, or 0 for a connection error. True
   * when it ejected the endpoint.
   */
  public boolean record(Endpoint endpoint, int status) {
    return members.outliers().record(endpoint, status, System.nanoTime());
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  @Override
  public void close() {
    if (healthChecker != null) {
      healthChecker.stop();
    }
    closed = true;
    UnaryGrpcChannels channels = unary;
    if (channels != null) {
      channels.close();
    }
    shared.http.close();
    byLoop.values().forEach(pool -> pool.http.close());
  }
}
