package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two whole control planes joined through Hazelcast, watching the same directory. */
class ReplicatedControlPlaneIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ControlPlane first;
  private ControlPlane second;

  @AfterEach
  void stop() throws Exception {
    if (second != null) {
      second.close().await(20, TimeUnit.SECONDS);
    }
    if (first != null) {
      first.close().await(20, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void replicasServeTheSameVersionsAndTheLeaderPublishesTheServiceConfigs() throws Exception {
    Files.writeString(
        dir.resolve("all.yaml"),
        ControlPlaneIT.mapping("quote", "/quote/")
            + "---\napiVersion: getambassador.io/v3alpha1\nkind: RateLimit\n"
            + "metadata: {name: backend}\nspec:\n  domain: ambassador\n  limits:\n"
            + "    - pattern: [{generic_key: backend}]\n      rate: 10\n      unit: second\n");
    vertx = Vertx.vertx();
    List<Integer> ports = FreePorts.next(2);
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    first = start(ports.get(0), members);
    second = start(ports.get(1), members);

    await().atMost(Duration.ofSeconds(30)).until(() -> second.replicas().members().size() == 2);
    assertThat(second.xds().publisher().current()).isEqualTo(first.xds().publisher().current());
    assertThat(first.replicas().isLeader()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.replicas().configs().containsKey(Distribution.RATELIMIT));
    ServiceConfig ratelimit = second.replicas().configs().get(Distribution.RATELIMIT);
    assertThat(ratelimit.publishedBy()).isEqualTo(first.replicas().memberId());
    assertThat(ratelimit.load("default").resources())
        .singleElement()
        .satisfies(r -> assertThat(r.source().toString()).isEqualTo("all.yaml:8"));
  }

  private ControlPlane start(int hazelcastPort, List<String> members) throws Exception {
    ControlPlane controlPlane =
        new ControlPlane(
            vertx,
            ControlPlaneOptions.defaults(dir)
                .withPorts("127.0.0.1", 0, 0)
                .withReplicas(ReplicaOptions.tcp("127.0.0.1", hazelcastPort, members)));
    return controlPlane.start().await(60, TimeUnit.SECONDS);
  }
}
