package dev.gatehouse.bench.ratelimit;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ShouldRateLimit load over h2c on loopback, two ways: closed loop (a fixed number of calls always
 * in flight, for the most decisions per second) and open loop (calls started on a fixed schedule,
 * latency measured from the scheduled start, so a stall is not hidden by sending less). Latencies
 * are kept whole and sorted, so percentiles are exact.
 */
final class RlsLoad implements LoadGenerator {
  static final ServiceMethod<RateLimitResponse, RateLimitRequest> METHOD =
      ServiceMethod.client(
          ServiceName.create(RateLimitServiceGrpc.SERVICE_NAME),
          RateLimitServiceGrpc.getShouldRateLimitMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(RateLimitResponse.newBuilder()));

  /** What one phase measured. */
  record Result(long calls, long errors, long overLimit, double seconds, long[] sortedNanos) {
    double perSecond() {
      return calls / seconds;
    }

    double millis(double percentile) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(percentile / 100 * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
  }

  /** The first failure seen, to say why calls failed. */
  final java.util.concurrent.atomic.AtomicReference<Throwable> firstError =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final Vertx vertx;
  private final SocketAddress server;
  private final List<RateLimitRequest> requests;
  // One lane per connection: its own client and its own event-loop context, so that the load
  // spreads over the loops (one HTTP/2 connection would put every call on one loop, as one
  // Envoy worker would).
  private final List<GrpcClient> clients = new java.util.ArrayList<>();
  private final List<io.vertx.core.Context> contexts = new java.util.ArrayList<>();

  // grpc-java's client instead, when asked: lighter per call than Vert.x's, so more of the two
  // cores is left to the service.
  private final List<io.grpc.ManagedChannel> channels = new java.util.ArrayList<>();

  RlsLoad(Vertx vertx, int port, int lanes, List<RateLimitRequest> requests, boolean grpcJava) {
    this.vertx = vertx;
    if (grpcJava) {
      for (int i = 0; i < lanes; i++) {
        channels.add(
            io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .directExecutor()
                .build());
      }
    }
    this.requests = requests;
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    for (int i = 0; i < lanes; i++) {
      // From a thread outside Vert.x, each call gives a new context on the next event loop.
      contexts.add(vertx.getOrCreateContext());
      clients.add(
          GrpcClient.client(
              vertx,
              vertx
                  .httpClientBuilder()
                  .with(
                      new HttpClientOptions()
                          .setProtocolVersion(HttpVersion.HTTP_2)
                          .setHttp2ClearTextUpgrade(false)
                          .setHttp2MultiplexingLimit(10_000)
                          .setTcpNoDelay(true))
                  .with(new PoolOptions().setHttp2MaxSize(1))
                  .build()));
    }
  }

  private Future<RateLimitResponse> call(int index) {
    RateLimitRequest request = requests.get(index % requests.size());
    if (!channels.isEmpty()) {
      Promise<RateLimitResponse> answer = Promise.promise();
      RateLimitServiceGrpc.newStub(channels.get(index % channels.size()))
          .shouldRateLimit(
              request,
              new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(RateLimitResponse response) {
                  answer.tryComplete(response);
                }

                @Override
                public void onError(Throwable failure) {
                  answer.tryFail(failure);
                }

                @Override
                public void onCompleted() {
                  answer.tryFail("no response");
                }
              });
      return answer.future();
    }
    return clients
        .get(index % clients.size())
        .request(server, METHOD)
        .compose(c -> c.send(request))
        .compose(GrpcClientResponse::last);
  }

  /** Keeps {@code concurrency} calls in flight for {@code seconds}. */
  @Override
  public Result closedLoop(int concurrency, int seconds) throws Exception {
    long[] latencies = new long[Math.max(1, 60_000 * seconds)];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong over = new AtomicLong();
    AtomicInteger sequence = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(concurrency);
    for (int i = 0; i < concurrency; i++) {
      int lane = i % contexts.size();
      contexts
          .get(lane)
          .runOnContext(
              v ->
                  next(lane, sequence, deadline, latencies, recorded, errors, over, running, done));
    }
    done.future().await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    return result(latencies, recorded.get(), errors.get(), over.get(), elapsed);
  }

  private void next(
      int lane,
      AtomicInteger sequence,
      long deadline,
      long[] latencies,
      AtomicInteger recorded,
      AtomicLong errors,
      AtomicLong over,
      AtomicInteger running,
      Promise<Void> done) {
    long sent = System.nanoTime();
    if (sent >= deadline) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    call(sequence.getAndIncrement() * clients.size() + lane)
        .onComplete(
            r -> {
              if (r.failed()) {
                firstError.compareAndSet(null, r.cause());
              }
              record(r.succeeded() ? r.result() : null, sent, latencies, recorded, errors, over);
              next(lane, sequence, deadline, latencies, recorded, errors, over, running, done);
            });
  }

  /** Starts {@code rate} calls per second on a 1 ms schedule for {@code seconds}. */
  @Override
  public Result openLoop(int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger recorded = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLong over = new AtomicLong();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    double intervalNanos = 1e9 / rate;
    int lanes = contexts.size();
    List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int l = 0; l < lanes; l++) {
      int lane = l;
      AtomicInteger laneStarted = new AtomicInteger();
      contexts
          .get(lane)
          .runOnContext(
              v ->
                  timers.add(
                      vertx.setPeriodic(
                          1,
                          id -> {
                            // Every call of this lane whose scheduled time has come, timed from
                            // that schedule.
                            long now = System.nanoTime();
                            while (true) {
                              int index = laneStarted.get() * lanes + lane;
                              long scheduled = start + (long) (index * intervalNanos);
                              if (index >= total || scheduled > now) {
                                break;
                              }
                              laneStarted.incrementAndGet();
                              started.incrementAndGet();
                              call(index)
                                  .onComplete(
                                      r -> {
                                        record(
                                            r.succeeded() ? r.result() : null,
                                            scheduled,
                                            latencies,
                                            recorded,
                                            errors,
                                            over);
                                        if (finished.incrementAndGet() == total) {
                                          done.tryComplete();
                                        }
                                      });
                            }
                          })));
    }
    done.future().await();
    timers.forEach(vertx::cancelTimer);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return result(latencies, recorded.get(), errors.get(), over.get(), elapsed);
  }

  private static void record(
      RateLimitResponse response,
      long sent,
      long[] latencies,
      AtomicInteger recorded,
      AtomicLong errors,
      AtomicLong over) {
    long took = System.nanoTime() - sent;
    if (response == null) {
      errors.incrementAndGet();
      return;
    }
    if (response.getOverallCode() == RateLimitResponse.Code.OVER_LIMIT) {
      over.incrementAndGet();
    }
    int slot = recorded.getAndIncrement();
    if (slot < latencies.length) {
      latencies[slot] = took;
    }
  }

  private static Result result(
      long[] latencies, int recorded, long errors, long over, double seconds) {
    long[] sorted = Arrays.copyOf(latencies, Math.min(recorded, latencies.length));
    Arrays.sort(sorted);
    return new Result(recorded, errors, over, seconds, sorted);
  }

  @Override
  public void close() {
    clients.forEach(GrpcClient::close);
    channels.forEach(io.grpc.ManagedChannel::shutdownNow);
  }
}
