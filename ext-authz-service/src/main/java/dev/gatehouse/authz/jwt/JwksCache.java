package dev.gatehouse.authz.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one JWKS endpoint, fetched with the Vert.x web client (never Nimbus' blocking
 * retriever) and cached.
 *
 * <ul>
 *   <li>Keys are fresh for {@code refreshAfter}; after that a request is still answered from the
 *       cache while one background fetch runs (refresh-ahead), so no check waits on the endpoint.
 *   <li>A token whose {@code kid} is unknown triggers a fetch at once, at most once per {@code
 *       minFetchInterval}: a rotation is picked up, a flood of made-up kids is not an outage.
 *   <li>When the endpoint is down, cached keys keep working until {@code refreshAfter + maxStale}
 *       after the last successful fetch.
 * </ul>
 *
 * Only RSA and EC public keys are kept: a symmetric key in a JWKS is ignored, so HMAC tokens can
 * never verify. Thread-safe; fetches are coalesced.
 */
public final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

  /** A set of keys and when it was fetched. */
  public record Snapshot(JWKSet keys, long fetchedAtMillis) {}

  private final WebClient client;
  private final String uri;
  private final Duration refreshAfter;
  private final Duration maxStale;
  private final Duration minFetchInterval;
  private final Duration timeout;
  private final Clock clock;

  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final AtomicReference<Future<Snapshot>> inflight = new AtomicReference<>();
  private volatile long lastAttemptMillis = Long.MIN_VALUE / 2;

  public JwksCache(
      WebClient client,
      String uri,
      Duration refreshAfter,
      Duration maxStale,
      Duration minFetchInterval,
      Duration timeout,
      Clock clock) {
    this.client = client;
    this.uri = uri;
    this.refreshAfter = refreshAfter;
    this.maxStale = maxStale;
    this.minFetchInterval = minFetchInterval;
    this.timeout = timeout;
    this.clock = clock;
  }

  public String uri() {
    return uri;
  }

  /** The keys to verify with now: cached when usable, else fetched. */
  public Future<Snapshot> current() {
    Snapshot cached = snapshot.get();
    long now = clock.millis();
    if (cached != null) {
      long age = now - cached.fetchedAtMillis();
      if (age < refreshAfter.toMillis()) {
        return Future.succeededFuture(cached);
      }
      if (age < refreshAfter.toMillis() + maxStale.toMillis()) {
        if (now - lastAttemptMillis >= minFetchInterval.toMillis()) {
          fetch(); // refresh ahead; this request uses the cached keys
        }
        return Future.succeededFuture(cached);
      }
    }
    if (now - lastAttemptMillis < minFetchInterval.toMillis() && inflight.get() == null) {
      return Future.failedFuture(
          new JwksUnavailableException("JWKS " + uri + " unreachable; retrying shortly"));
    }
    return fetch();
  }

  /**
   * Keys after a token named a {@code kid} that {@code seen} lacks: a fresh fetch when none was
   * tried within {@code minFetchInterval}, else {@code seen} again.
   */
  public Future<Snapshot> afterUnknownKid(Snapshot seen) {
    Snapshot cached = snapshot.get();
    if (cached != null && cached != seen) {
      return Future.succeededFuture(cached);
    }
    if (clock.millis() - lastAttemptMillis < minFetchInterval.toMillis()) {
      Future<Snapshot> running = inflight.get();
      return running != null ? running : Future.succeededFuture(seen);
    }
    return fetch().recover(e -> Future.succeededFuture(seen));
  }

  private Future<Snapshot> fetch() {
    Promise<Snapshot> promise = Promise.promise();
    Future<Snapshot> mine = promise.future();
    Future<Snapshot> running = inflight.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    lastAttemptMillis = clock.millis();
    client
        .getAbs(uri)
        .timeout(timeout.toMillis())
        .putHeader("accept", "application/json")
        .send()
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new JwksUnavailableException(
                    "JWKS " + uri + " answered " + response.statusCode() + " (expected: 200)");
              }
              return new Snapshot(publicKeys(response.bodyAsString()), clock.millis());
            })
        .onComplete(
            done -> {
              inflight.set(null);
              if (done.succeeded()) {
                snapshot.set(done.result());
                promise.complete(done.result());
              } else {
                LOG.warn("fetching JWKS {} failed: {}", uri, done.cause().getMessage());
                promise.fail(
                    done.cause() instanceof JwksUnavailableException
                        ? done.cause()
                        : new JwksUnavailableException(
                            "JWKS " + uri + " unreachable: " + done.cause().getMessage()));
              }
            });
    return mine;
  }

  private JWKSet publicKeys(String body) {
    try {
      List<JWK> keys =
          JWKSet.parse(body).toPublicJWKSet().getKeys().stream()
              .filter(k -> k.getKeyType() == KeyType.RSA || k.getKeyType() == KeyType.EC)
              .toList();
      return new JWKSet(keys);
    } catch (java.text.ParseException e) {
      throw new JwksUnavailableException("JWKS " + uri + " is not a JWK set: " + e.getMessage());
    }
  }

  /** The JWKS could not be fetched and no usable keys are cached. */
  public static final class JwksUnavailableException extends RuntimeException {
    public JwksUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
