package dev.gatehouse.bench.ratelimit;

import dev.gatehouse.ratelimit.admin.RateLimitMetrics;
import dev.gatehouse.ratelimit.config.ConfigAssembler;
import dev.gatehouse.ratelimit.config.EnvoyConfigLoader;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.limiter.RateLimiter;
import dev.gatehouse.ratelimit.store.RedisSettings;
import dev.gatehouse.ratelimit.store.RedisStore;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one decision costs the limiter with its Redis store and client, without gRPC: one event loop
 * keeps {@code inFlight} decisions pipelined on Redis, and the loop thread's CPU time is divided by
 * the decisions made. The figure to judge changes to the store path by: thread CPU moves much less
 * with the neighbours' load than decisions per second do.
 */
final class StoreCost {
  private StoreCost() {}

  /** Event-loop CPU microseconds per decision over the last of {@code rounds} rounds. */
  static double microsPerDecision(
      Vertx vertx, int redisPort, String configYaml, List<RateLimitRequest> requests)
      throws Exception {
    RedisStore store =
        new RedisStore(vertx, RedisSettings.standalone("redis://127.0.0.1:" + redisPort), null);
    RateLimiter limiter =
        new RateLimiter(
            vertx, store, LimiterSettings.DEFAULTS, new RateLimitMetrics(1000), System::nanoTime);
    limiter.apply(
        new ConfigAssembler().add(EnvoyConfigLoader.parse(configYaml, "bench.yaml")).build(1));
    Context context = vertx.getOrCreateContext();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double micros = 0;
    int inFlight = 32;
    int calls = 40_000;
    try {
      for (int round = 0; round < 6; round++) {
        CompletableFuture<Long> cpu = new CompletableFuture<>();
        AtomicLong started = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        long[] cpuStart = new long[1];
        context.runOnContext(
            v -> {
              cpuStart[0] = threads.getCurrentThreadCpuTime();
              for (int i = 0; i < inFlight; i++) {
                next(limiter, requests, calls, started, finished, threads, cpuStart, cpu);
              }
            });
        micros = cpu.get(120, TimeUnit.SECONDS) / 1e3 / calls; // the last round counts
      }
    } finally {
      limiter.close();
      store.close().await(10, TimeUnit.SECONDS);
    }
    return micros;
  }

  private static void next(
      RateLimiter limiter,
      List<RateLimitRequest> requests,
      int calls,
      AtomicLong started,
      AtomicLong finished,
      ThreadMXBean threads,
      long[] cpuStart,
      CompletableFuture<Long> cpu) {
    long index = started.getAndIncrement();
    if (index >= calls) {
      return;
    }
    limiter
        .shouldRateLimit(requests.get((int) (index % requests.size())))
        .onComplete(
            done -> {
              if (finished.incrementAndGet() == calls) {
                cpu.complete(threads.getCurrentThreadCpuTime() - cpuStart[0]);
              } else if (done.failed()) {
                // A failure answered at once (breaker open) would recurse: continue later.
                Vertx.currentContext()
                    .runOnContext(
                        v ->
                            next(
                                limiter, requests, calls, started, finished, threads, cpuStart,
                                cpu));
              } else {
                next(limiter, requests, calls, started, finished, threads, cpuStart, cpu);
              }
            });
  }
}
