package dev.gatehouse.ratelimit.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counters in Redis: every hit of a request goes in one EVALSHA of {@code ratelimit.lua}, which
 * checks and counts each request atomically with Redis's own clock. Standalone and Sentinel: the
 * requests that one event loop receives in one turn share one EVALSHA (at most {@value
 * #MAX_BATCH}), sent when the turn ends, on one long-lived connection per event loop; a request
 * never waits for another, only for the end of the turn it arrived in. In Cluster mode a key's name
 * is wrapped in a hash tag, so that its windows stay in one slot, and hits are grouped by slot: one
 * script per slot, sent together.
 */
public final class RedisStore implements RateLimitStore {
  static final String SCRIPT = readScript();
  static final String SCRIPT_SHA = sha1(SCRIPT);

  /** The most requests in one script call. */
  static final int MAX_BATCH = 32;

  // The verdicts of a request whose write Redis refused: that request fails, the others do not.
  private static final List<Verdict> WRITE_REFUSED =
      java.util.Collections.unmodifiableList(new ArrayList<>());

  private final Redis redis;
  private final RedisSettings settings;
  private final LongSupplier testClock;
  // One long-lived connection per event loop, that the loop's requests are pipelined on: used from
  // its own loop, a connection costs no thread hop. A connection that fails or closes is dropped
  // and the next request opens a new one. Calls from other threads share one more.
  private final ConcurrentHashMap<Thread, Future<RedisConnection>> connections =
      new ConcurrentHashMap<>();
  private static final Thread OFF_LOOP = new Thread(() -> {}, "off-event-loop");
  // The requests an event loop has received in its current turn, not yet sent.
  private final ThreadLocal<Batch> batches = new ThreadLocal<>();

  /** Requests waiting for the end of their event loop's turn, with their answers. */
  private static final class Batch {
    final List<List<Hit>> requests = new ArrayList<>();
    final List<Promise<List<Verdict>>> answers = new ArrayList<>();
    boolean sent;
  }

  /**
   * A store; nothing connects until the first call, so a Redis that is down at start-up is only a
   * failed call.
   *
   * @param testClock null in production (Redis's TIME); tests pass their clock in microseconds
   */
  public RedisStore(Vertx vertx, RedisSettings settings, LongSupplier testClock) {
    this.settings = settings;
    this.testClock = testClock;
    this.redis = Redis.createClient(vertx, options(settings));
  }

  /** The connection of the calling event loop: open, being opened, or a fresh attempt. */
  private Future<RedisConnection> connection() {
    Thread loop = Context.isOnEventLoopThread() ? Thread.currentThread() : OFF_LOOP;
    Future<RedisConnection> current = connections.get(loop);
    if (current != null && !current.failed()) {
      return current;
    }
    // The script is loaded on every new connection (Redis may have restarted and forgotten it),
    // so requests do not pay a NOSCRIPT round trip.
    Future<RedisConnection> fresh =
        redis
            .connect()
            .compose(
                connection ->
                    connection
                        .send(scriptLoad())
                        .map(connection)
                        .onFailure(failure -> connection.close()));
    boolean installed =
        current == null
            ? connections.putIfAbsent(loop, fresh) == null
            : connections.replace(loop, current, fresh);
    if (!installed) {
      fresh.onSuccess(RedisConnection::close);
      return connection();
    }
    fresh.onSuccess(
        connection -> {
          connection.exceptionHandler(failure -> connections.remove(loop, fresh));
          connection.endHandler(end -> connections.remove(loop, fresh));
        });
    return fresh;
  }

  private Future<Response> send(Request request) {
    return connection().compose(connection -> connection.send(request));
  }

  static RedisOptions options(RedisSettings settings) {
    RedisOptions options =
        new RedisOptions()
            .setMaxPoolSize(settings.poolSize())
            .setMaxPoolWaiting(4096)
            .setMaxWaitingHandlers(65536);
    for (URI url : settings.urls()) {
      options.addConnectionString(url.toString());
    }
    switch (settings.mode()) {
      case SENTINEL ->
          options
              .setType(RedisClientType.SENTINEL)
              .setMasterName(settings.masterName())
              .setRole(RedisRole.MASTER);
      case CLUSTER -> options.setType(RedisClientType.CLUSTER);
      default -> options.setType(RedisClientType.STANDALONE);
    }
    NetClientOptions net = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(1000);
    if (settings.urls().get(0).getScheme().equals("rediss")) {
      net.setSsl(true).setHostnameVerificationAlgorithm(settings.insecureTls() ? "" : "HTTPS");
      if (settings.insecureTls()) {
        net.setTrustAll(true);
      }
    }
    return options.setNetClientOptions(net);
  }

  /** The counter name of a hit, as the script and {@link Plan} extend it. */
  public String keyOf(String base) {
    String key = settings.keyPrefix() + base;
    return settings.mode() == RedisSettings.Mode.CLUSTER ? "{" + key + "}" : key;
  }

  @Override
  public Future<List<Verdict>> apply(List<Hit> hits) {
    if (settings.mode() == RedisSettings.Mode.CLUSTER) {
      return applyBySlot(hits);
    }
    Context context = Vertx.currentContext();
    if (context == null || !Context.isOnEventLoopThread()) {
      return eval(List.of(hits)).map(all -> accepted(all.get(0)));
    }
    Batch batch = batches.get();
    if (batch == null || batch.sent) {
      batch = new Batch();
      batches.set(batch);
      Batch thisTurn = batch;
      // Runs once the loop has handled what it read in this turn.
      context.runOnContext(v -> flush(thisTurn));
    }
    // Bound to the caller's context, so that its callbacks and the budget's timer run on this
    // loop, as with a Redis reply (without a context, Vert.x puts the timer on Netty's global
    // executor thread; in the benchmark such answers were never delivered).
    Promise<List<Verdict>> answer = ((ContextInternal) context).promise();
    batch.requests.add(hits);
    batch.answers.add(answer);
    if (batch.requests.size() >= MAX_BATCH) {
      flush(batch);
    }
    return answer.future();
  }

  private void flush(Batch batch) {
    if (batches.get() == batch) {
      batches.remove();
    }
    if (batch.sent) {
      return;
    }
    batch.sent = true;
    eval(batch.requests)
        .onComplete(
            done -> {
              for (int i = 0; i < batch.answers.size(); i++) {
                if (done.failed()) {
                  batch.answers.get(i).fail(done.cause());
                } else {
                  settle(batch.answers.get(i), done.result().get(i));
                }
              }
            });
  }

  /** A request's verdicts, or its failure when Redis refused its write (marked by the script). */
  private static void settle(Promise<List<Verdict>> answer, List<Verdict> verdicts) {
    if (verdicts == WRITE_REFUSED) {
      answer.fail(refused());
    } else {
      answer.complete(verdicts);
    }
  }

  /** The verdicts of a request that Redis decided; throws for one whose write it refused. */
  private static List<Verdict> accepted(List<Verdict> verdicts) {
    if (verdicts == WRITE_REFUSED) {
      throw refused();
    }
    return verdicts;
  }

  private static IllegalStateException refused() {
    return new IllegalStateException("redis: refused to write this request's counters");
  }

  private Future<List<Verdict>> applyBySlot(List<Hit> hits) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < hits.size(); i++) {
      bySlot.computeIfAbsent(Crc16.slot(keyOf(hits.get(i).key())), s -> new ArrayList<>()).add(i);
    }
    if (bySlot.size() == 1) {
      return eval(List.of(hits)).map(all -> accepted(all.get(0)));
    }
    List<Future<List<List<Verdict>>>> calls = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>(bySlot.values());
    for (List<Integer> group : groups) {
      calls.add(eval(List.of(group.stream().map(hits::get).toList())));
    }
    return Future.all(calls)
        .map(
            done -> {
              Verdict[] out = new Verdict[hits.size()];
              for (int g = 0; g < groups.size(); g++) {
                List<Verdict> verdicts = accepted(calls.get(g).result().get(0));
                for (int j = 0; j < verdicts.size(); j++) {
                  out[groups.get(g).get(j)] = verdicts.get(j);
                }
              }
              return List.of(out);
            });
  }

  /** One script call deciding {@code requests} in order, each atomically: their verdicts. */
  private Future<List<List<Verdict>>> eval(List<List<Hit>> requests) {
    return send(script(Command.EVALSHA, SCRIPT_SHA, requests))
        .recover(
            failure ->
                failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
                    ? send(script(Command.EVAL, SCRIPT, requests))
                    : Future.failedFuture(failure))
        .map(response -> verdicts(response, requests))
        // A fresh exception per call, even when the client reuses one: the requests that shared
        // the call fail with this same instance, and the breaker counts the call once by it.
        .recover(failure -> Future.failedFuture(new CallFailed(failure)));
  }

  /** One failed script call, shared by the requests it carried. */
  static final class CallFailed extends RuntimeException {
    CallFailed(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private Request script(Command command, String script, List<List<Hit>> requests) {
    int keys = 0;
    for (List<Hit> hits : requests) {
      keys += hits.size();
    }
    Request request = Request.cmd(command).arg(script).arg(keys);
    for (List<Hit> hits : requests) {
      for (Hit hit : hits) {
        request.arg(keyOf(hit.key()));
      }
    }
    request.arg(testClock == null ? "" : Long.toString(testClock.getAsLong()));
    for (List<Hit> hits : requests) {
      request.arg(hits.size());
      for (Hit hit : hits) {
        request
            .arg(hit.algorithm().code())
            .arg(hit.limit())
            .arg(hit.windowSeconds())
            .arg(hit.hits())
            .arg(hit.enforced() ? "1" : "0")
            .arg(hit.burst());
      }
    }
    return request;
  }

  private static List<List<Verdict>> verdicts(Response response, List<List<Hit>> requests) {
    int count = 0;
    for (List<Hit> hits : requests) {
      count += hits.size();
    }
    if (response == null || response.size() != count * 4) {
      throw new IllegalStateException("redis: unexpected script reply " + response);
    }
    List<List<Verdict>> out = new ArrayList<>(requests.size());
    int at = 0;
    for (List<Hit> hits : requests) {
      if (!hits.isEmpty() && response.get(at).toInteger() == -1) {
        out.add(WRITE_REFUSED);
        at += 4 * hits.size();
        continue;
      }
      List<Verdict> verdicts = new ArrayList<>(hits.size());
      for (int i = 0; i < hits.size(); i++, at += 4) {
        verdicts.add(
            new Verdict(
                response.get(at).toInteger() == 1,
                response.get(at + 1).toLong(),
                response.get(at + 2).toLong(),
                response.get(at + 3).toLong()));
      }
      out.add(verdicts);
    }
    return out;
  }

  static Request scriptLoad() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT);
  }

  @Override
  public Future<Void> prepare() {
    // Loading the script also opens a connection, so the first request pays neither.
    return send(scriptLoad()).mapEmpty();
  }

  @Override
  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    connections.values().forEach(connection -> connection.onSuccess(RedisConnection::close));
    connections.clear();
    return redis.close();
  }

  @Override
  public String name() {
    return "redis";
  }

  private static String readScript() {
    try (InputStream in = RedisStore.class.getResourceAsStream("ratelimit.lua")) {
      if (in == null) {
        throw new IllegalStateException("ratelimit.lua is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is always available", e);
    }
  }
}
