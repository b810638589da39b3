package dev.gatehouse.bench.ratelimit;

import dev.gatehouse.ratelimit.admin.RateLimitMetrics;
import dev.gatehouse.ratelimit.config.ConfigAssembler;
import dev.gatehouse.ratelimit.config.EnvoyConfigLoader;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.limiter.RateLimiter;
import dev.gatehouse.ratelimit.store.MemoryStore;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What one decision costs the limiter itself (matching, the store's arithmetic in memory, the
 * answer, metrics), without gRPC or Redis: the event loop thread's CPU time over many calls.
 */
final class LimiterCost {
  private LimiterCost() {}

  /** CPU microseconds per decision, after warming up. */
  static double microsPerDecision(Vertx vertx, String configYaml, List<RateLimitRequest> requests)
      throws Exception {
    RateLimiter limiter =
        new RateLimiter(
            vertx,
            new MemoryStore(),
            LimiterSettings.DEFAULTS,
            new RateLimitMetrics(1000),
            System::nanoTime);
    limiter.apply(
        new ConfigAssembler().add(EnvoyConfigLoader.parse(configYaml, "bench.yaml")).build(1));
    Context context = vertx.getOrCreateContext();
    double micros = 0;
    int calls = 50_000;
    for (int round = 0; round < 5; round++) {
      CompletableFuture<Long> cpu = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
              limiter.shouldRateLimit(requests.get(i % requests.size()));
            }
            cpu.complete(threads.getCurrentThreadCpuTime() - before);
          });
      micros = cpu.get(60, TimeUnit.SECONDS) / 1e3 / calls; // the last round counts
    }
    limiter.close();
    return micros;
  }
}
