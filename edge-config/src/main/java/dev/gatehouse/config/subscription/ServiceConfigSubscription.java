package dev.gatehouse.config.subscription;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.config.watch.LastGood;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the configuration the control plane publishes for one service ({@link
 * Distribution#CONFIGS}): every new version is loaded with the same validation as files, merged
 * with what was served before ({@link LastGood}: a resource this service rejects keeps its previous
 * version), and handed to the listener. The listener runs on this subscription's own thread, one
 * configuration at a time, and may block.
 *
 * <p>While the cluster is unreachable nothing is delivered, so the service keeps its last
 * configuration; on each (re)connection, and every {@code resync} period, the current entry is read
 * again, so an update missed while away is applied as soon as the cluster is back. A removed entry
 * changes nothing.
 */
public final class ServiceConfigSubscription implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceConfigSubscription.class);
  private static final LoadResult NOTHING = new LoadResult(List.of(), List.of(), List.of(), 0);

  private final ControlPlaneClient client;
  private final String service;
  private final String ambassadorId;
  private final Consumer<LoadResult> listener;
  private final ScheduledExecutorService thread;
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile String version;

  // Only touched on the subscription's thread.
  private LoadResult served = NOTHING;
  private boolean listening;

  private ServiceConfigSubscription(
      ControlPlaneClient client,
      String service,
      String ambassadorId,
      Consumer<LoadResult> listener) {
    this.client = client;
    this.service = service;
    this.ambassadorId = ambassadorId;
    this.listener = listener;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-config-" + service);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Subscribes to {@code service}'s configuration ({@link Distribution#EXT_AUTHZ} or {@link
   * Distribution#RATELIMIT}); returns at once. Use {@link #awaitFirst} to wait for the first one.
   */
  public static ServiceConfigSubscription start(
      ControlPlaneClient client,
      String service,
      String ambassadorId,
      Duration resync,
      Consumer<LoadResult> listener) {
    if (!Distribution.SERVICES.contains(service)) {
      throw new IllegalArgumentException(
          "service: " + service + " (expected: one of " + Distribution.SERVICES + ")");
    }
    ServiceConfigSubscription subscription =
        new ServiceConfigSubscription(client, service, ambassadorId, listener);
    client.onConnected(() -> subscription.run(subscription::connected));
    long every = Math.max(1, resync.toMillis());
    subscription.thread.scheduleWithFixedDelay(
        subscription::resync, every, every, TimeUnit.MILLISECONDS);
    return subscription;
  }

  /** Waits for the first configuration; false when none came within {@code timeout}. */
  public boolean awaitFirst(Duration timeout) throws InterruptedException {
    return first.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The version served now, null before the first. */
  public String version() {
    return version;
  }

  private IMap<String, ServiceConfig> map() {
    return client.hazelcast().getMap(Distribution.CONFIGS);
  }

  private void connected() {
    if (!listening) {
      try {
        map().addEntryListener(new Updates(), service, true);
        // Hazelcast registers it again by itself after a reconnection.
        listening = true;
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot follow {} config updates yet ({}); reading it periodically",
            service,
            e.toString());
      }
    }
    resync();
  }

  private void resync() {
    if (!client.connected()) {
      return;
    }
    try {
      ServiceConfig current = map().get(service);
      if (current != null) {
        apply(current);
      }
    } catch (RuntimeException e) {
      LOG.debug("reading the {} config failed: {}", service, e.toString());
    }
  }

  private final class Updates
      implements EntryAddedListener<String, ServiceConfig>,
          EntryUpdatedListener<String, ServiceConfig> {
    @Override
    public void entryAdded(EntryEvent<String, ServiceConfig> event) {
      offer(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, ServiceConfig> event) {
      offer(event.getValue());
    }
  }

  private void offer(ServiceConfig config) {
    if (config != null) {
      run(() -> apply(config));
    }
  }

  private void run(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException closed) {
      // closed: nothing more to apply
    }
  }

  private void apply(ServiceConfig config) {
    if (!config.service().equals(service) || config.version().equals(version)) {
      return;
    }
    LoadResult loaded;
    try {
      loaded = config.load(ambassadorId);
    } catch (RuntimeException e) {
      LOG.error("{} config {} cannot be loaded; keeping {}", service, config.version(), version, e);
      return;
    }
    served = LastGood.merge(served, loaded);
    version = config.version();
    LOG.info(
        "{} config {} from {}: {}",
        service,
        config.version(),
        config.publishedBy(),
        served.summary());
    try {
      listener.accept(served);
    } catch (RuntimeException e) {
      LOG.error("applying {} config {} failed", service, config.version(), e);
    }
    first.countDown();
  }

  /** Stops following; the client stays open (its owner closes it). */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
