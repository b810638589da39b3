package dev.gatehouse.bench.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A bounded open-loop load: requests at a fixed rate (sent on schedule whether or not earlier ones
 * have answered, so a stall shows as latency instead of hiding as a lower rate), for a fixed time.
 * Prints one line per second (p50, p99, max of the requests sent in that second, and errors: any
 * status but 200, a failure, or no answer within 5 s), then a summary line:
 *
 * <pre>SUMMARY rate=R sent=N errors=E steady_p99_ms=X worst_p99_ms=Y seconds_over_2x=K</pre>
 *
 * <p>Requests go over at most {@link #CONNECTIONS} keep-alive connections (Vert.x's client, one
 * event loop); a request finding them all busy waits for one, and that wait counts in its latency.
 * An unbounded client (the JDK's, used before) opened a connection per waiting request when a stall
 * built up, thousands a second, until loopback ran out of ephemeral ports and every target, nginx
 * too, failed with ConnectException.
 *
 * <p>Before the per-second lines, {@code RECORDED_FROM_EPOCH_MS} gives the wall-clock time of the
 * first recorded second, to line seconds up with other logs; with {@code -Dload.raw=FILE} every
 * recorded request's send time (ns after the first recorded second began) and latency (ns) go to
 * FILE.
 *
 * <p>steady p99 is the median of the per-second p99s; seconds_over_2x counts the seconds whose p99
 * exceeds twice it. Arguments: url rate seconds [warm-up seconds=5, not recorded, so the
 * generator's own JIT and connection set-up do not count against the target; sent at the rate or at
 * 1,000/s if that is more, since at 100/s a few seconds are too few requests for the generator's
 * JIT, whose compilations then land in the first recorded seconds, for either target].
 */
public final class FixedRateLoad {
  static final int CONNECTIONS = 128;

  private FixedRateLoad() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    // The generator's own warm-up (JIT, its connections): sent at the rate, not recorded.
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000))
            .with(new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1))
            .build();
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(url.getHost())
            .setPort(url.getPort())
            .setURI(url.getRawPath().isEmpty() ? "/" : url.getRawPath())
            .setTimeout(5000);
    List<List<Long>> latencies = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      latencies.add(java.util.Collections.synchronizedList(new ArrayList<>()));
    }
    AtomicIntegerArray errors = new AtomicIntegerArray(seconds);
    java.util.Map<String, Integer> kinds = new java.util.concurrent.ConcurrentSkipListMap<>();
    List<CompletableFuture<?>> inFlight = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime();
    // Wall-clock time of the first recorded second, to line seconds up with other logs.
    long recordedFrom = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(warmup);
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    int warmupRate = Math.max(rate, 1000);
    long warmupPeriodNanos = TimeUnit.SECONDS.toNanos(1) / warmupRate;
    long warmupNanos = TimeUnit.SECONDS.toNanos(warmup);
    long warmupTotal = (long) warmupRate * warmup;
    long total = warmupTotal + (long) rate * seconds;
    CompletableFuture<Void> done = new CompletableFuture<>();
    long[] sent = {0};
    // -Dload.raw=FILE: every recorded request's send time and latency (ns), for finding stalls.
    String rawFile = System.getProperty("load.raw");
    List<long[]> raw =
        rawFile == null ? null : java.util.Collections.synchronizedList(new ArrayList<>());
    ticker.scheduleAtFixedRate(
        () -> {
          // Catch up on the schedule: every request whose time has come is sent now.
          long elapsed = System.nanoTime() - start;
          long due =
              elapsed < warmupNanos
                  ? Math.min(warmupTotal, elapsed / warmupPeriodNanos + 1)
                  : Math.min(total, warmupTotal + (elapsed - warmupNanos) / periodNanos + 1);
          while (sent[0] < due) {
            long sentAt = System.nanoTime();
            int second = (int) Math.min(seconds - 1, (sentAt - start) / 1_000_000_000L - warmup);
            sent[0]++;
            CompletableFuture<Void> answered = new CompletableFuture<>();
            inFlight.add(answered);
            client
                .request(request)
                .compose(out -> out.send().compose(in -> in.body().map(in.statusCode())))
                .onComplete(
                    outcome -> {
                      Throwable failure = outcome.cause();
                      if (second < 0) {
                        answered.complete(null); // warming up
                        return;
                      }
                      if (failure != null || outcome.result() != 200) {
                        errors.incrementAndGet(second);
                        kinds.merge(
                            failure != null
                                ? rootCause(failure).getClass().getSimpleName()
                                : "status " + outcome.result(),
                            1,
                            Integer::sum);
                      } else {
                        long took = System.nanoTime() - sentAt;
                        latencies.get(second).add(took);
                        if (raw != null) {
                          raw.add(new long[] {sentAt - start - warmupNanos, took});
                        }
                      }
                      answered.complete(null);
                    });
          }
          if (sent[0] >= total) {
            done.complete(null);
          }
        },
        0,
        Math.max(100_000, Math.min(periodNanos, warmupPeriodNanos)),
        TimeUnit.NANOSECONDS);
    done.get(seconds + warmup + 30L, TimeUnit.SECONDS);
    ticker.shutdownNow();
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .get(30, TimeUnit.SECONDS);

    System.out.printf("RECORDED_FROM_EPOCH_MS %d%n", recordedFrom);
    if (raw != null) {
      try (var out = new java.io.PrintWriter(rawFile)) {
        synchronized (raw) {
          raw.stream()
              .sorted(java.util.Comparator.comparingLong(r -> r[0]))
              .forEach(r -> out.println(r[0] + " " + r[1]));
        }
      }
    }
    double[] p99s = new double[seconds];
    int errorsTotal = 0;
    double worst = 0;
    for (int s = 0; s < seconds; s++) {
      long[] sorted = latencies.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
      double p50 = millis(percentile(sorted, 0.50));
      p99s[s] = millis(percentile(sorted, 0.99));
      double max = millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
      worst = Math.max(worst, p99s[s]);
      errorsTotal += errors.get(s);
      System.out.printf(
          "second %3d  n %5d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %d%n",
          s, sorted.length, p50, p99s[s], max, errors.get(s));
    }
    double[] byP99 = p99s.clone();
    Arrays.sort(byP99);
    double steady = byP99[seconds / 2];
    long over = Arrays.stream(p99s).filter(p -> p > 2 * steady).count();
    System.out.printf(
        "SUMMARY rate=%d sent=%d errors=%d steady_p99_ms=%.2f worst_p99_ms=%.2f"
            + " seconds_over_2x=%d error_kinds=%s%n",
        rate, (long) rate * seconds, errorsTotal, steady, worst, over, kinds);
    System.exit(0);
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
