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

  @AfterEach
  void stop() {
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
}
