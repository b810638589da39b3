package dev.gatehouse.bench.authz;

import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
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
 * A closed-loop gRPC load generator: {@code concurrency} Check calls always in flight over a few
 * h2c connections; each completion starts the next call until the deadline. Latencies of the
 * measured phase are kept whole and sorted at the end, so the percentiles are exact.
 */
final class LoadGenerator {
  static final ServiceMethod<CheckResponse, CheckRequest> CHECK =
      ServiceMethod.client(
          ServiceName.create(AuthorizationGrpc.SERVICE_NAME),
          AuthorizationGrpc.getCheckMethod().getBareMethodName(),
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(CheckResponse.newBuilder()));

  /** What one run measured. */
  record Result(
      long calls, long errors, long denied, double seconds, double cpuSeconds, long[] sortedNanos) {
    double callsPerSecond() {
      return calls / seconds;
    }

    /**
     * Calls per second of CPU used by the whole process (service and load generator): the figure
     * that does not depend on what else runs on the machine.
     */
    double callsPerCpuSecond() {
      return calls / cpuSeconds;
    }

    double percentileMillis(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int index =
          (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100 * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, index)] / 1e6;
    }
  }

  /** Sends one Check and reports the answer (or failure) to {@code done}. */
  interface Caller {
    void call(CheckRequest request, java.util.function.BiConsumer<CheckResponse, Throwable> done);

    void close();
  }

  private final Caller caller;

  LoadGenerator(Caller caller) {
    this.caller = caller;
  }

  /** The Vert.x gRPC client over {@code connections} h2c connections. */
  static Caller vertx(Vertx vertx, int port, int connections) {
    GrpcClient client =
        GrpcClient.client(
            vertx,
            vertx
                .httpClientBuilder()
                .with(
                    new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false)
                        .setTcpNoDelay(true))
                .with(new PoolOptions().setHttp2MaxSize(connections))
                .build());
    SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    return new Caller() {
      @Override
      public void call(
          CheckRequest request, java.util.function.BiConsumer<CheckResponse, Throwable> done) {
        Future<CheckResponse> call =
            client
                .request(server, CHECK)
                .compose(c -> c.send(request))
                .compose(GrpcClientResponse::last);
        call.onComplete(r -> done.accept(r.result(), r.cause()));
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  /**
   * grpc-java's Netty client (as Envoy-ecosystem tools use), callbacks on its event loops: a
   * cheaper load generator, so that more of the shared cores go to the service.
   */
  static Caller grpcJava(int port, int connections) {
    // One channel per connection, used in turn: the service accepts each connection on one of
    // its event loops, so a single connection would leave the others idle.
    List<io.grpc.ManagedChannel> channels = new java.util.ArrayList<>();
    List<AuthorizationGrpc.AuthorizationStub> stubs = new java.util.ArrayList<>();
    for (int i = 0; i < connections; i++) {
      io.grpc.ManagedChannel channel =
          io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", port)
              .usePlaintext()
              .directExecutor()
              .build();
      channels.add(channel);
      stubs.add(AuthorizationGrpc.newStub(channel));
    }
    AtomicInteger turn = new AtomicInteger();
    return new Caller() {
      @Override
      public void call(
          CheckRequest request, java.util.function.BiConsumer<CheckResponse, Throwable> done) {
        AuthorizationGrpc.AuthorizationStub stub =
            stubs.get(Math.floorMod(turn.getAndIncrement(), stubs.size()));
        stub.check(
            request,
            new io.grpc.stub.StreamObserver<>() {
              private CheckResponse response;

              @Override
              public void onNext(CheckResponse value) {
                response = value;
              }

              @Override
              public void onError(Throwable t) {
                done.accept(null, t);
              }

              @Override
              public void onCompleted() {
                done.accept(response, null);
              }
            });
      }

      @Override
      public void close() {
        channels.forEach(io.grpc.ManagedChannel::shutdownNow);
      }
    };
  }

  /** Runs {@code warmupSeconds} unmeasured (JIT compilation), then {@code seconds} measured. */
  Result run(List<CheckRequest> requests, int concurrency, int warmupSeconds, int seconds)
      throws Exception {
    phase(requests, concurrency, warmupSeconds, null);
    long[] latencies = new long[50_000 * seconds + 1_000_000];
    return phase(requests, concurrency, seconds, latencies);
  }

  private Result phase(List<CheckRequest> requests, int concurrency, int seconds, long[] latencies)
      throws Exception {
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long deadline = start + seconds * 1_000_000_000L;
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    AtomicInteger recorded = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger(concurrency);
    Promise<Void> done = Promise.promise();
    for (int i = 0; i < concurrency; i++) {
      loop(requests, next, deadline, calls, errors, denied, recorded, latencies, running, done);
    }
    done.future().await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpu = (processCpuNanos() - cpuStart) / 1e9;
    long[] sorted =
        latencies == null
            ? new long[0]
            : Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
    Arrays.sort(sorted);
    return new Result(calls.get(), errors.get(), denied.get(), elapsed, cpu, sorted);
  }

  private void loop(
      List<CheckRequest> requests,
      AtomicInteger next,
      long deadline,
      AtomicLong calls,
      AtomicLong errors,
      AtomicLong denied,
      AtomicInteger recorded,
      long[] latencies,
      AtomicInteger running,
      Promise<Void> done) {
    long sent = System.nanoTime();
    if (sent >= deadline) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    CheckRequest request = requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
    caller.call(
        request,
        (response, failure) -> {
          long took = System.nanoTime() - sent;
          calls.incrementAndGet();
          if (failure != null) {
            errors.incrementAndGet();
          } else if (response.getStatus().getCode() != 0) {
            denied.incrementAndGet();
          }
          if (latencies != null) {
            int slot = recorded.getAndIncrement();
            if (slot < latencies.length) {
              latencies[slot] = took;
            }
          }
          loop(requests, next, deadline, calls, errors, denied, recorded, latencies, running, done);
        });
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  void close() {
    caller.close();
  }
}
