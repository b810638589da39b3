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

  private final GrpcClient client;
  private final SocketAddress server;

  LoadGenerator(Vertx vertx, int port, int connections) {
    this.client =
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
    this.server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** Runs {@code warmupSeconds} unmeasured, then {@code seconds} measured. */
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
    Future<CheckResponse> call =
        client
            .request(server, CHECK)
            .compose(c -> c.send(request))
            .compose(GrpcClientResponse::last);
    call.onComplete(
        result -> {
          long took = System.nanoTime() - sent;
          calls.incrementAndGet();
          if (result.failed()) {
            errors.incrementAndGet();
          } else if (result.result().getStatus().getCode() != 0) {
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
    client.close();
  }
}
