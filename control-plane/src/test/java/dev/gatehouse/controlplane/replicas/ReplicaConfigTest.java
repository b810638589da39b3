package dev.gatehouse.controlplane.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.gatehouse.config.distribution.Distribution;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaConfigTest {

  @Test
  void composeJoinsTheTcpMemberListWithoutMulticast() {
    Config config =
        Replicas.config(ReplicaOptions.tcp("0.0.0.0", 5701, List.of("cp-1:5701", "cp-2:5701")));
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertThat(config.getClusterName()).isEqualTo(Distribution.CLUSTER_NAME);
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("cp-1:5701", "cp-2:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
  }

  @Test
  void helmJoinsThroughTheKubernetesDnsOfAHeadlessService() {
    Config config =
        Replicas.config(
            new ReplicaOptions(
                Distribution.CLUSTER_NAME,
                "0.0.0.0",
                5701,
                List.of(),
                "gatehouse-hazelcast.gatehouse.svc.cluster.local",
                Duration.ofHours(24)));
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("gatehouse-hazelcast.gatehouse.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }
}
