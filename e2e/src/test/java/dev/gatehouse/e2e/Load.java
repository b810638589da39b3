package dev.gatehouse.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A bounded load generator: a fixed request rate (open loop, so a slow edge does not slow the
 * offered load), one connection per request (edge-proxy/README's remark on a keep-alive client hang
 * that a drill must not read as an edge failure), every answer recorded with the time it was sent.
 * At most {@link #MAX_IN_FLIGHT} requests wait at once; a tick beyond that is recorded as skipped,
 * never queued without bound.
 */
final class Load implements AutoCloseable {
  static final int MAX_IN_FLIGHT = 256;
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  /** One request: when it was sent (ms since the load started), how long it took, what came. */
  record Shot(long sentAt, long latencyMs, int status, String body, String error) {
    boolean ok() {
      return error == null && status == 200;
    }

    @Override
    public String toString() {
      return "@" + sentAt + "ms " + (error != null ? error : status + " " + body.strip());
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final int port;
  private final String path;
  private final Map<String, String> headers;
  private final ConcurrentLinkedQueue<Shot> shots = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long started = System.nanoTime();
  private long timer;

  private Load(int port, String path, Map<String, String> headers) {
    this.port = port;
    this.path = path;
    this.headers = headers;
    this.client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(false))
            .with(new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT))
            .build();
  }

  /** Sends GET {@code path} to 127.0.0.1:{@code port} at {@code perSecond} until stopped. */
  static Load start(int port, String path, Map<String, String> headers, int perSecond) {
    if (perSecond < 1 || perSecond > 1000) {
      throw new IllegalArgumentException("rate: " + perSecond + " (expected: 1..1000 per second)");
    }
    Load load = new Load(port, path, headers);
    load.timer = load.vertx.setPeriodic(1000 / perSecond, id -> load.fire());
    return load;
  }

  /** Milliseconds since the load started, the clock that {@link Shot#sentAt()} uses. */
  long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  private void fire() {
    long sentAt = now();
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      shots.add(new Shot(sentAt, 0, 0, "", "skipped: " + MAX_IN_FLIGHT + " requests in flight"));
      return;
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            .setTimeout(REQUEST_TIMEOUT_MS);
    headers.forEach(options::putHeader);
    client
        .request(options)
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .map(
                        body ->
                            new Shot(
                                sentAt,
                                now() - sentAt,
                                response.statusCode(),
                                body.toString(),
                                null)))
        .onComplete(
            done -> {
              inFlight.decrementAndGet();
              shots.add(
                  done.succeeded()
                      ? done.result()
                      : new Shot(sentAt, now() - sentAt, 0, "", String.valueOf(done.cause())));
            });
  }

  /** Every answer so far, in no particular order. */
  List<Shot> shots() {
    return new ArrayList<>(shots);
  }

  /** Waits until some answer sent after {@code after} (ms) satisfies {@code test}. */
  void awaitShot(long after, Predicate<Shot> test, long timeoutSeconds) {
    Awaitility.await()
        .atMost(timeoutSeconds, TimeUnit.SECONDS)
        .pollInterval(50, TimeUnit.MILLISECONDS)
        .until(() -> shots.stream().anyMatch(s -> s.sentAt() > after && test.test(s)));
  }

  /**
   * Waits until the {@code n} latest answers are all 200 within a second: the stack is warm (JIT,
   * connections) and the machine not stalled before a drill starts measuring.
   */
  void awaitSteady(int n, long timeoutSeconds) {
    Awaitility.await()
        .atMost(timeoutSeconds, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () -> {
              List<Shot> latest =
                  shots().stream()
                      .sorted(java.util.Comparator.comparingLong(Shot::sentAt).reversed())
                      .limit(n)
                      .toList();
              return latest.size() == n
                  && latest.stream().allMatch(s -> s.ok() && s.latencyMs() < 1_000);
            });
  }

  /** Stops sending, waits (bounded) for the requests in flight, and returns every answer. */
  List<Shot> stop() {
    vertx.cancelTimer(timer);
    Awaitility.await()
        .atMost(REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)
        .until(() -> inFlight.get() == 0);
    return shots();
  }

  @Override
  public void close() throws Exception {
    vertx.cancelTimer(timer);
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
