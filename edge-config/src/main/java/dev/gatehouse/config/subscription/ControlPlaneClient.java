package dev.gatehouse.config.subscription;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.LifecycleListener;
import dev.gatehouse.config.distribution.Distribution;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's Hazelcast client of the control plane's cluster ({@link Distribution#CLUSTER_NAME}).
 * It never waits for the cluster: starting returns at once, and the client keeps trying to connect
 * and to reconnect for as long as it runs (backing off up to {@link #MAX_BACKOFF_MILLIS}). While it
 * is disconnected, map calls fail at once rather than wait ({@code ReconnectMode.ASYNC}): a service
 * answers from what it already has.
 */
public final class ControlPlaneClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneClient.class);

  /** The longest pause between two connection attempts. */
  public static final long MAX_BACKOFF_MILLIS = 2_000;

  private final HazelcastInstance hazelcast;
  private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();
  private volatile boolean connected;

  private ControlPlaneClient(List<String> addresses, String name) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(Distribution.CLUSTER_NAME);
    config.setInstanceName(name + "-" + System.nanoTime());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getNetworkConfig().setAddresses(addresses);
    config
        .getConnectionStrategyConfig()
        .setAsyncStart(true)
        .setReconnectMode(ReconnectMode.ASYNC)
        .getConnectionRetryConfig()
        .setInitialBackoffMillis(100)
        .setMaxBackoffMillis((int) MAX_BACKOFF_MILLIS)
        .setMultiplier(2)
        .setJitter(0.2)
        .setClusterConnectTimeoutMillis(-1);
    // Registered through the config so that the first connection is not missed.
    config.addListenerConfig(new ListenerConfig((LifecycleListener) this::lifecycle));
    this.hazelcast = HazelcastClient.newHazelcastClient(config);
  }

  /**
   * Starts a client of the control plane reachable at {@code addresses} ({@code host:port}, any
   * member will do); returns without waiting for a connection.
   *
   * @param name names this client in the cluster's diagnostics, e.g. {@code gatehouse-ratelimit}
   */
  public static ControlPlaneClient connect(List<String> addresses, String name) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "control-plane: no address (expected: host:port[,host:port...])");
    }
    for (String address : addresses) {
      if (!address.matches("[^\\s:/,]+(:\\d{1,5})?")
          && !address.matches("\\[[0-9a-fA-F:.]+](:\\d{1,5})?")) {
        throw new IllegalArgumentException(
            "control-plane: \"" + address + "\" (expected: host:port, e.g. control-plane:5701)");
      }
    }
    return new ControlPlaneClient(List.copyOf(addresses), name);
  }

  private void lifecycle(com.hazelcast.core.LifecycleEvent event) {
    if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
      connected = true;
      LOG.info("connected to the control plane's cluster");
      onConnected.forEach(Runnable::run);
    } else if (event.getState() == LifecycleState.CLIENT_DISCONNECTED) {
      connected = false;
      LOG.warn("lost the control plane's cluster; serving the last configuration, reconnecting");
    }
  }

  /**
   * Runs {@code action} on each (re)connection, on Hazelcast's event thread: it must hand blocking
   * work to a thread of its own. Runs it at once too when connected already.
   */
  public void onConnected(Runnable action) {
    onConnected.add(action);
    if (connected) {
      action.run();
    }
  }

  /** Whether the client is connected now; map calls fail while it is not. */
  public boolean connected() {
    return connected;
  }

  /** The client, for maps the service uses itself (sessions, keys). */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  @Override
  public void close() {
    connected = false;
    hazelcast.shutdown();
  }
}
