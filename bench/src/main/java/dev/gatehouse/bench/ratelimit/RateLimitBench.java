package dev.gatehouse.bench.ratelimit;

import dev.gatehouse.ratelimit.RateLimitServer;
import dev.gatehouse.ratelimit.RateLimitServerOptions;
import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The ratelimit benchmark: the service on a real Redis and its load generator in one JVM (so they
 * share the machine's cores with Redis), over h2c on loopback. Every request carries two
 * descriptors (client address, and address plus path) whose limits are never reached, so every
 * decision is one Redis round trip: the local cache of over-limit keys saves nothing here.
 *
 * <pre>{@code RateLimitBench REDIS_PORT SECONDS CONCURRENCY RATE [BUDGET_MS]}</pre>
 *
 * <p>A Redis port of 0 keeps the counters in memory, to see what the gRPC side alone costs.
 */
public final class RateLimitBench {
  private static final String CONFIG =
      """
        domain: bench
        descriptors:
          - key: remote_address
            rate_limit: {unit: second, requests_per_unit: 1000000000}
            descriptors:
              - key: path
                rate_limit: {unit: minute, requests_per_unit: 4000000000}
        """;

  private RateLimitBench() {}

  public static void main(String[] args) throws Exception {
    int redisPort = Integer.parseInt(args[0]);
    int seconds = Math.min(Integer.parseInt(args[1]), 60);
    int concurrency = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    // The store budget: 15 ms as in production unless given (a busy machine may need more).
    Duration budget = Duration.ofMillis(args.length > 4 ? Integer.parseInt(args[4]) : 15);

    Path config = Files.createTempDirectory("gatehouse-ratelimit-bench");
    Files.writeString(config.resolve("bench.yaml"), CONFIG);
    // Event loops and gRPC listeners: one per core unless -Dbench.loops.
    int loops = Integer.getInteger("bench.loops", 2);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    RateLimitServerOptions options =
        new RateLimitServerOptions(
            config,
            "default",
            redisPort == 0 ? null : RedisSettings.standalone("redis://127.0.0.1:" + redisPort),
            "127.0.0.1",
            0,
            null,
            null,
            new LimiterSettings(
                FailureMode.ERROR, budget, false, 100_000, 5, Duration.ofMillis(500)),
            loops,
            Duration.ofSeconds(1));
    RateLimitServer server = RateLimitServer.start(vertx, options).await(30, TimeUnit.SECONDS);
    List<RateLimitRequest> requests = requests(10_000);
    System.out.printf(
        Locale.ROOT,
        "limiter alone (memory store, no gRPC): %.2f us CPU per decision%n",
        LimiterCost.microsPerDecision(vertx, CONFIG, requests));
    if (redisPort != 0) {
      System.out.printf(
          Locale.ROOT,
          "limiter and Redis store (no gRPC, 32 in flight on one event loop): %.2f us CPU per"
              + " decision%n",
          StoreCost.microsPerDecision(vertx, redisPort, CONFIG, requests));
      if (Boolean.getBoolean("bench.storeOnly")) {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        return;
      }
    }
    // The load generator: raw HTTP/2 frames from one thread (default: a few us of CPU per call),
    // grpc-java's client or Vert.x's (40-95 us per call, as much as the service's own share).
    String client = System.getProperty("bench.client", "raw");
    System.out.println("load generator: " + client);
    // One HTTP/2 connection per Envoy worker calling the service: 4 unless -Dbench.connections.
    int connections = Integer.getInteger("bench.connections", 4);
    System.out.println("connections: " + connections);
    LoadGenerator load =
        client.equals("raw")
            ? new RawGrpcLoad(server.grpcPort(), connections, requests)
            : new RlsLoad(
                vertx, server.grpcPort(), connections, requests, client.equals("grpc-java"));
    try {
      // Warm up gently, so that a cold JIT does not trip the store's breaker, and long enough
      // for the JIT to finish compiling the hot path on two busy cores (it takes 20-30 s here).
      // Each 5 s step prints its rate and CPU per decision, so the run shows when it levelled.
      int warmup = Integer.getInteger("bench.warmup", 40);
      System.out.printf(
          Locale.ROOT, "warm-up: %d s closed loop, 8 then %d in flight%n", warmup, concurrency);
      for (int step = 0; step * 5 < warmup; step++) {
        long cpuBefore = jvmCpuNanos();
        RlsLoad.Result warm = load.closedLoop(step == 0 ? 8 : concurrency, 5);
        System.out.printf(
            Locale.ROOT,
            "  warm-up %2d-%2d s: %6.0f decisions/s, jvm %.1f us CPU per decision, %d errors%n",
            step * 5,
            step * 5 + 5,
            warm.perSecond(),
            warm.calls() == 0 ? 0 : (jvmCpuNanos() - cpuBefore) / 1e3 / warm.calls(),
            warm.errors());
      }
      if (load instanceof RlsLoad rls && rls.firstError.get() != null) {
        System.out.println("first error while warming up: " + rls.firstError.get());
      }
      System.out.println(
          "measuring: pid " + ProcessHandle.current().pid() + ", " + seconds + " s closed loop");
      long jvmBefore = jvmCpuNanos();
      java.util.Map<String, Long> threadsBefore = threadCpuNanos();
      double redisBefore = redisCpuSeconds(vertx, redisPort);
      RlsLoad.Result max = load.closedLoop(concurrency, seconds);
      long jvmCpu = jvmCpuNanos() - jvmBefore;
      java.util.Map<String, Long> threadsAfter = threadCpuNanos();
      double redisCpu = redisCpuSeconds(vertx, redisPort) - redisBefore;
      print("closed loop, " + concurrency + " in flight", max);
      if (max.calls() > 0) {
        double jvmMicros = jvmCpu / 1e3 / max.calls();
        double redisMicros = redisCpu * 1e6 / max.calls();
        System.out.printf(
            Locale.ROOT,
            "cpu per decision: jvm %.1f us (service and load generator), redis %.1f us;"
                + " uncontended that is %.0f decisions/s on %d cores%n",
            jvmMicros,
            redisMicros,
            Runtime.getRuntime().availableProcessors() * 1e6 / (jvmMicros + redisMicros),
            Runtime.getRuntime().availableProcessors());
        // Which threads spent it: Vert.x's event loops run the service (and its Redis client),
        // the load generator: main (raw), grpc-default-worker (grpc-java) or the event loops
        // (vertx).
        threadsAfter.forEach(
            (group, nanos) -> {
              double micros = (nanos - threadsBefore.getOrDefault(group, 0L)) / 1e3 / max.calls();
              if (micros >= 0.5) {
                System.out.printf(Locale.ROOT, "  threads %-36s %6.1f us%n", group, micros);
              }
            });
      }
      if (rate <= 0) {
        return; // closed loop only
      }
      // The open loop runs code the closed loop did not (the generator's pacing, the service at
      // a few calls per wake-up): a first pass at the same rate lets the JIT compile it, so the
      // measured pass is the steady state and not the compiler's turn on the two cores.
      print("open loop warm-up, 5 s", load.openLoop(rate, 5));
      RlsLoad.Result fixed = load.openLoop(rate, seconds);
      print("open loop at " + rate + "/s", fixed);
      System.out.printf(
          Locale.ROOT,
          "RESULT decisions_per_s=%.0f fixed_rate_p50_ms=%.3f fixed_rate_p99_ms=%.3f"
              + " fixed_rate_errors=%d%n",
          max.perSecond(),
          fixed.millis(50),
          fixed.millis(99),
          fixed.errors());
    } finally {
      load.close();
      server.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the JVM's live threads, summed by name with the digits taken out. */
  private static java.util.Map<String, Long> threadCpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo info :
        threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos > 0) {
        out.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos, Long::sum);
      }
    }
    return out;
  }

  /** used_cpu_user + used_cpu_sys of the Redis server, from INFO cpu; 0 in memory mode. */
  private static double redisCpuSeconds(Vertx vertx, int port) throws Exception {
    if (port == 0) {
      return 0;
    }
    Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
    try {
      String info =
          redis.send(Request.cmd(Command.INFO).arg("cpu")).await(10, TimeUnit.SECONDS).toString();
      double total = 0;
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return total;
    } finally {
      redis.close();
    }
  }

  private static void print(String phase, RlsLoad.Result result) {
    System.out.printf(
        Locale.ROOT,
        "%-28s %9.0f decisions/s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms"
            + "  errors %d  over_limit %d  (%d calls in %.1f s)%n",
        phase,
        result.perSecond(),
        result.millis(50),
        result.millis(99),
        result.millis(99.9),
        result.millis(100),
        result.errors(),
        result.overLimit(),
        result.calls(),
        result.seconds());
  }

  /** Requests of two descriptors over {@code clients} client addresses. */
  private static List<RateLimitRequest> requests(int clients) {
    List<RateLimitRequest> out = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
      out.add(
          RateLimitRequest.newBuilder()
              .setDomain("bench")
              .addDescriptors(descriptor("remote_address", address))
              .addDescriptors(descriptor("remote_address", address, "path", "/api/orders"))
              .build());
    }
    return out;
  }

  private static RateLimitDescriptor descriptor(String... keysAndValues) {
    RateLimitDescriptor.Builder descriptor = RateLimitDescriptor.newBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      descriptor.addEntries(
          RateLimitDescriptor.Entry.newBuilder()
              .setKey(keysAndValues[i])
              .setValue(keysAndValues[i + 1]));
    }
    return descriptor.build();
  }
}
