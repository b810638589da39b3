package dev.gatehouse.authz.session;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's rotating keys ({@link Distribution#SIGNING_KEYS}), followed from its cluster:
 * the newest unexpired key signs, any unexpired key verifies. The keys are copied into memory on
 * every change (an entry listener) and every {@code refresh} period, so signing never waits on the
 * cluster, and the last keys keep working while it is away (until they expire).
 */
public final class ControlPlaneKeys implements SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneKeys.class);

  private final HazelcastInstance hazelcast;
  private final Clock clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gatehouse-signing-keys");
            t.setDaemon(true);
            return t;
          });
  private final CountDownLatch first = new CountDownLatch(1);
  private final Map<String, Key> specs = new ConcurrentHashMap<>();
  private volatile Map<String, SigningKey> keys = Map.of();
  private boolean listening; // on the thread only

  private ControlPlaneKeys(HazelcastInstance hazelcast, Clock clock) {
    this.hazelcast = hazelcast;
    this.clock = clock;
  }

  /** Follows the keys of the cluster {@code hazelcast} is a client (or member) of. */
  public static ControlPlaneKeys follow(
      HazelcastInstance hazelcast, Duration refresh, Clock clock) {
    ControlPlaneKeys keys = new ControlPlaneKeys(hazelcast, clock);
    long every = Math.max(1, refresh.toMillis());
    keys.thread.scheduleWithFixedDelay(keys::reload, 0, every, TimeUnit.MILLISECONDS);
    return keys;
  }

  /** Waits until some key is known; false when none came within {@code timeout}. */
  public boolean awaitKeys(Duration timeout) throws InterruptedException {
    return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private IMap<String, SigningKey> map() {
    return hazelcast.getMap(Distribution.SIGNING_KEYS);
  }

  private void reload() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      thread.shutdown();
      return;
    }
    try {
      IMap<String, SigningKey> map = map();
      if (!listening) {
        map.addEntryListener(new Changes(), false);
        listening = true; // registered again by Hazelcast after a reconnection
      }
      Map<String, SigningKey> read = new HashMap<>();
      map.values().forEach(k -> read.put(k.id(), k));
      keys = Map.copyOf(read);
      specs.keySet().retainAll(read.keySet());
      if (!read.isEmpty()) {
        first.countDown();
      }
    } catch (RuntimeException e) {
      // The cluster is away: keep the keys we have.
      LOG.debug("reading the signing keys failed: {}", e.toString());
    }
  }

  private final class Changes
      implements EntryAddedListener<String, SigningKey>,
          EntryUpdatedListener<String, SigningKey>,
          EntryRemovedListener<String, SigningKey> {
    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, SigningKey> event) {
      schedule();
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, SigningKey> event) {
      schedule();
    }

    @Override
    public void entryRemoved(com.hazelcast.core.EntryEvent<String, SigningKey> event) {
      schedule();
    }
  }

  private void schedule() {
    try {
      thread.execute(this::reload);
    } catch (RejectedExecutionException stopped) {
      // shut down with the client
    }
  }

  @Override
  public Key signing() {
    return SigningKey.newest(keys.values(), clock.millis()).map(this::key).orElse(null);
  }

  @Override
  public Key verifying(String id) {
    SigningKey key = keys.get(id);
    return key == null || key.expiredAt(clock.millis()) ? null : key(key);
  }

  private Key key(SigningKey key) {
    return specs.computeIfAbsent(
        key.id(),
        id ->
            new Key(
                id,
                new SecretKeySpec(Base64.getDecoder().decode(key.secretBase64()), "HmacSHA256")));
  }

  /** Stops following (the client is closed by its owner). */
  public void close() {
    thread.shutdownNow();
  }
}
