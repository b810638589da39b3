package dev.gatehouse.controlplane.replicas;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.config.distribution.SigningKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This control plane's membership in the Hazelcast cluster of replicas. The oldest member leads
 * (Hazelcast lists members oldest first; its CP subsystem is not in the open-source edition): the
 * leader writes the service configs and generates and rotates the signing keys. The other replicas
 * keep their last configs, so whoever leads next republishes at once.
 *
 * <p>All cluster work runs on one thread of its own, never on Hazelcast's event threads or the
 * caller's.
 */
public final class Replicas implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HazelcastInstance hazelcast;
  private final ReplicaOptions options;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "gatehouse-replicas");
            thread.setDaemon(true);
            return thread;
          });

  private final List<Runnable> onLeading = new java.util.concurrent.CopyOnWriteArrayList<>();

  // Only touched on the worker thread.
  private Map<String, ServiceConfig> latest = Map.of();
  private boolean leading;

  private Replicas(HazelcastInstance hazelcast, ReplicaOptions options) {
    this.hazelcast = hazelcast;
    this.options = options;
  }

  /** Starts a member and joins the others; blocks for as long as Hazelcast takes to join. */
  public static Replicas start(ReplicaOptions options) {
    Replicas replicas = new Replicas(Hazelcast.newHazelcastInstance(config(options)), options);
    replicas
        .hazelcast
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                replicas.worker.execute(replicas::lead);
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                replicas.worker.execute(replicas::lead);
              }
            });
    replicas.worker.execute(replicas::lead);
    long check = Math.max(1, options.keyRotation().toMillis() / 8);
    replicas.worker.scheduleWithFixedDelay(
        replicas::rotateKeys, check, check, TimeUnit.MILLISECONDS);
    return replicas;
  }

  static Config config(ReplicaOptions options) {
    Config config = new Config();
    config.setClusterName(options.clusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Join at once: the member list is explicit, there is nothing to wait for.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(false);
    if (!options.bindHost().equals("0.0.0.0")) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(options.bindHost());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (options.dnsService() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", options.dnsService());
    } else {
      join.getTcpIpConfig()
          .setEnabled(true)
          .setConnectionTimeoutSeconds(2)
          .setMembers(options.members());
    }
    return config;
  }

  /** Whether this replica leads now. */
  public boolean isLeader() {
    Member oldest = hazelcast.getCluster().getMembers().iterator().next();
    return oldest.localMember();
  }

  /**
   * Runs {@code task} on the replicas' thread each time this replica becomes the leader (status
   * writes that the previous leader may have left undone).
   */
  public void onLeading(Runnable task) {
    onLeading.add(task);
  }

  /** This member's address, as the others see it. */
  public String memberId() {
    return hazelcast.getCluster().getLocalMember().getAddress().toString();
  }

  public List<String> members() {
    return hazelcast.getCluster().getMembers().stream()
        .map(m -> m.getAddress().toString())
        .toList();
  }

  /** Offers the latest service configs; the leader writes those whose version changed. */
  public void publish(Map<String, ServiceConfig> configs) {
    worker.execute(
        () -> {
          latest = Map.copyOf(configs);
          if (leading) {
            write();
          }
        });
  }

  /** The store that services read; visible for tests and diagnostics. */
  public IMap<String, ServiceConfig> configs() {
    return hazelcast.getMap(Distribution.CONFIGS);
  }

  public IMap<String, SigningKey> signingKeys() {
    return hazelcast.getMap(Distribution.SIGNING_KEYS);
  }

  private void lead() {
    try {
      boolean now = hazelcast.getLifecycleService().isRunning() && isLeader();
      if (now && !leading) {
        LOG.info("control plane {} leads the replicas {}", memberId(), members());
        leading = true;
        rotateKeys();
        write();
        onLeading.forEach(Runnable::run);
      } else if (!now && leading) {
        LOG.info("control plane {} no longer leads", memberId());
        leading = false;
      }
    } catch (RuntimeException e) {
      LOG.warn("checking leadership failed; will retry on the next membership change", e);
    }
  }

  private void write() {
    IMap<String, ServiceConfig> map = configs();
    for (ServiceConfig config : latest.values()) {
      ServiceConfig stored = map.get(config.service());
      if (stored != null && stored.version().equals(config.version())) {
        continue;
      }
      map.set(
          config.service(),
          new ServiceConfig(
              config.service(),
              config.version(),
              config.documents(),
              memberId(),
              System.currentTimeMillis()));
      hazelcast
          .<String>getTopic(Distribution.UPDATES)
          .publish(config.service() + " " + config.version());
      LOG.info("published {} config {}", config.service(), config.version());
    }
  }

  /** As leader: a new key when the newest is older than the rotation period; expired ones go. */
  private void rotateKeys() {
    if (!leading) {
      return;
    }
    try {
      IMap<String, SigningKey> keys = signingKeys();
      long now = System.currentTimeMillis();
      keys.values().stream().filter(k -> k.expiredAt(now)).forEach(k -> keys.delete(k.id()));
      long rotation = options.keyRotation().toMillis();
      boolean fresh =
          SigningKey.newest(keys.values(), now)
              .filter(k -> now - k.createdAtMillis() < rotation)
              .isPresent();
      if (!fresh) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        SigningKey key =
            new SigningKey(
                HexFormat.of().formatHex(id),
                "HS256",
                Base64.getEncoder().encodeToString(secret),
                now,
                now + 2 * rotation);
        keys.set(key.id(), key);
        LOG.info("generated signing key {}", key.id());
      }
    } catch (RuntimeException e) {
      LOG.warn("rotating signing keys failed; will retry", e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    hazelcast.shutdown();
  }
}
