package dev.gatehouse.controlplane.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real Hazelcast members in one JVM, joined over loopback TCP. */
class ReplicasIT {
  @TempDir Path dir;
  private Replicas oldest;
  private Replicas younger;

  private com.hazelcast.core.HazelcastInstance client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.shutdown();
    }
    if (younger != null) {
      younger.close();
    }
    if (oldest != null) {
      oldest.close();
    }
  }

  @Test
  void theOldestLeadsAndWhenItLeavesTheNextTakesOverKeysAndPublication() throws Exception {
    List<Integer> ports = FreePorts.next(2);
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    oldest = Replicas.start(ReplicaOptions.tcp("127.0.0.1", ports.get(0), members));
    younger = Replicas.start(ReplicaOptions.tcp("127.0.0.1", ports.get(1), members));
    java.util.concurrent.atomic.AtomicInteger tookOver =
        new java.util.concurrent.atomic.AtomicInteger();
    younger.onLeading(tookOver::incrementAndGet);
    await().atMost(Duration.ofSeconds(30)).until(() -> younger.members().size() == 2);

    Files.writeString(dir.resolve("limits.yaml"), Fixtures.rateLimit(10));
    Map<String, ServiceConfig> v1 = new ServiceConfigs(dir).compile(ResourceLoader.load(dir));
    oldest.publish(v1);
    younger.publish(v1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> younger.configs().containsKey(Distribution.RATELIMIT));
    assertThat(oldest.isLeader()).isTrue();
    assertThat(younger.isLeader()).isFalse();
    ServiceConfig stored = younger.configs().get(Distribution.RATELIMIT);
    assertThat(stored.version()).isEqualTo(v1.get(Distribution.RATELIMIT).version());
    assertThat(stored.publishedBy()).isEqualTo(oldest.memberId());
    await().atMost(Duration.ofSeconds(10)).until(() -> younger.signingKeys().size() == 1);
    String key = younger.signingKeys().keySet().iterator().next();

    oldest.close();
    oldest = null;
    await().atMost(Duration.ofSeconds(30)).until(() -> younger.isLeader());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(tookOver).as("told it leads now").hasValue(1));
    Files.writeString(dir.resolve("limits.yaml"), Fixtures.rateLimit(20));
    Map<String, ServiceConfig> v2 = new ServiceConfigs(dir).compile(ResourceLoader.load(dir));
    younger.publish(v2);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                younger
                    .configs()
                    .get(Distribution.RATELIMIT)
                    .version()
                    .equals(v2.get(Distribution.RATELIMIT).version()));
    assertThat(younger.configs().get(Distribution.RATELIMIT).publishedBy())
        .isEqualTo(younger.memberId());
    assertThat(younger.signingKeys().keySet()).as("the key survived its generator").contains(key);
  }

  @Test
  void aServiceReadsItsConfigAsAHazelcastClientAndTheLeaderRotatesKeys() throws Exception {
    int port = FreePorts.next();
    Duration rotation = Duration.ofMillis(400);
    oldest =
        Replicas.start(
            new ReplicaOptions(
                Distribution.CLUSTER_NAME,
                "127.0.0.1",
                port,
                List.of("127.0.0.1:" + port),
                null,
                rotation));
    Files.writeString(dir.resolve("limits.yaml"), Fixtures.rateLimit(10));
    oldest.publish(new ServiceConfigs(dir).compile(ResourceLoader.load(dir)));

    com.hazelcast.client.config.ClientConfig config =
        new com.hazelcast.client.config.ClientConfig();
    config.setClusterName(Distribution.CLUSTER_NAME);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().addAddress("127.0.0.1:" + port);
    client = com.hazelcast.client.HazelcastClient.newHazelcastClient(config);
    com.hazelcast.map.IMap<String, ServiceConfig> configs = client.getMap(Distribution.CONFIGS);
    await().atMost(Duration.ofSeconds(10)).until(() -> configs.containsKey(Distribution.RATELIMIT));

    assertThat(configs.get(Distribution.RATELIMIT).load("default").resources())
        .singleElement()
        .satisfies(r -> assertThat(r.source().toString()).isEqualTo("limits.yaml:2"));
    com.hazelcast.map.IMap<String, dev.gatehouse.config.distribution.SigningKey> keys =
        client.getMap(Distribution.SIGNING_KEYS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !keys.isEmpty());
    String first = keys.keySet().iterator().next();
    // A new key after one rotation period; the first expires after two and is removed.
    await().atMost(Duration.ofSeconds(10)).until(() -> keys.size() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> !keys.containsKey(first));
    assertThat(
            dev.gatehouse.config.distribution.SigningKey.newest(
                keys.values(), System.currentTimeMillis()))
        .isPresent();
  }
}
