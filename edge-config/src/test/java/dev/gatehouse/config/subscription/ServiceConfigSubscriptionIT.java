package dev.gatehouse.config.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.PublishedDocument;
import dev.gatehouse.config.distribution.ServiceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription against a real Hazelcast member over loopback, publishing as the control plane.
 */
class ServiceConfigSubscriptionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<LoadResult> delivered = new CopyOnWriteArrayList<>();
  private HazelcastInstance member;
  private ControlPlaneClient client;
  private ServiceConfigSubscription subscription;

  @AfterEach
  void close() {
    if (subscription != null) {
      subscription.close();
    }
    if (client != null) {
      client.close();
    }
    if (member != null) {
      member.shutdown();
    }
  }

  @Test
  void appliesEachPublishedVersionAndKeepsTheLastWhileTheClusterIsAway() throws Exception {
    int port = freePort();
    member = member(port);
    publish(member, "v1", limit("per-org", "10"));
    subscribe(port);

    assertThat(subscription.awaitFirst(WAIT)).isTrue();
    assertThat(rates(last())).containsExactly("10");

    publish(member, "v2", limit("per-org", "20"));
    await().atMost(WAIT).until(() -> "v2".equals(subscription.version()));
    assertThat(rates(last())).containsExactly("20");

    member.shutdown();
    await().atMost(WAIT).until(() -> !client.connected());
    int before = delivered.size();
    assertThat(subscription.version()).isEqualTo("v2");

    // The control plane comes back (a new cluster: its map starts empty) and publishes again.
    member = member(port);
    publish(member, "v3", limit("per-org", "30"));
    await().atMost(WAIT).until(() -> "v3".equals(subscription.version()));
    assertThat(delivered).hasSize(before + 1);
    assertThat(rates(last())).containsExactly("30");
  }

  @Test
  void startsBeforeTheControlPlaneAndReceivesItsConfigOnceItAppears() throws Exception {
    int port = freePort();
    subscribe(port);
    assertThat(subscription.awaitFirst(Duration.ofMillis(300))).isFalse();

    member = member(port);
    publish(member, "v1", limit("per-org", "10"));

    assertThat(subscription.awaitFirst(WAIT)).isTrue();
    assertThat(rates(last())).containsExactly("10");
  }

  @Test
  void aDocumentThisServiceRejectsKeepsItsLastGoodVersionWithFileAndLine() throws Exception {
    int port = freePort();
    member = member(port);
    publish(member, "v1", limit("per-org", "10"));
    subscribe(port);
    assertThat(subscription.awaitFirst(WAIT)).isTrue();

    publish(member, "v2", limit("per-org", "-1"));
    await().atMost(WAIT).until(() -> "v2".equals(subscription.version()));

    assertThat(rates(last())).containsExactly("10");
    assertThat(last().errors())
        .extracting(ConfigError::toString)
        .anySatisfy(e -> assertThat(e).startsWith("limits/orgs.yaml:").contains("rate"));
    assertThat(last().warnings())
        .extracting(ConfigError::toString)
        .anySatisfy(w -> assertThat(w).contains("keeping the last good version"));
  }

  private void subscribe(int port) {
    client = ControlPlaneClient.connect(List.of("127.0.0.1:" + port), "gatehouse-test");
    subscription =
        ServiceConfigSubscription.start(
            client, Distribution.RATELIMIT, "default", Duration.ofMillis(500), delivered::add);
  }

  private LoadResult last() {
    return delivered.get(delivered.size() - 1);
  }

  private static List<String> rates(LoadResult result) {
    return result.resources().stream()
        .map(r -> r.spec().toString().replaceAll(".*rate=(-?\\d+).*", "$1"))
        .toList();
  }

  private static PublishedDocument limit(String name, String rate) {
    String yaml =
        "apiVersion: getambassador.io/v3alpha1\nkind: RateLimit\nmetadata: {name: "
            + name
            + "}\nspec:\n  domain: ambassador\n  limits:\n  - pattern: [{x-org: \"\"}]\n"
            + "    rate: "
            + rate
            + "\n    unit: minute\n";
    return new PublishedDocument("limits/orgs.yaml", 3, "RateLimit default/" + name, yaml);
  }

  private static void publish(HazelcastInstance member, String version, PublishedDocument doc) {
    member
        .<String, ServiceConfig>getMap(Distribution.CONFIGS)
        .set(
            Distribution.RATELIMIT,
            new ServiceConfig(Distribution.RATELIMIT, version, List.of(doc), "test-member", 0));
  }

  static HazelcastInstance member(int port) {
    Config config = new Config();
    config.setClusterName(Distribution.CLUSTER_NAME);
    config.setInstanceName("subscription-it-" + port + "-" + System.nanoTime());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    return Hazelcast.newHazelcastInstance(config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
