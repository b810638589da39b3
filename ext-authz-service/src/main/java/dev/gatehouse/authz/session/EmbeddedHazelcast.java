package dev.gatehouse.authz.session;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * An embedded Hazelcast member for sessions and keys: alone when no members are given, else joining
 * them over TCP (multicast and cloud discovery off). Starting blocks for a few seconds.
 */
public final class EmbeddedHazelcast {
  private EmbeddedHazelcast() {}

  /**
   * @param host the interface to bind and advertise; null lets Hazelcast choose
   * @param port the first port to try (auto-incremented when taken)
   * @param members {@code host:port} of members to join; empty to run alone
   */
  public static HazelcastInstance start(
      String clusterName, String host, int port, List<String> members) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + port + "-" + System.nanoTime());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true);
    if (host != null) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(!members.isEmpty()).setMembers(members);
    return Hazelcast.newHazelcastInstance(config);
  }

  /**
   * A client of the cluster {@code clusterName} reached at {@code addresses} ({@code host:port}):
   * sessions and keys then live in that cluster, shared with every other client and member.
   */
  public static HazelcastInstance client(String clusterName, List<String> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: none (expected: at least one host:port)");
    }
    com.hazelcast.client.config.ClientConfig config =
        new com.hazelcast.client.config.ClientConfig();
    config.setClusterName(clusterName);
    config.setInstanceName("gatehouse-ext-authz-client-" + System.nanoTime());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The command that owns this client closes it in its own order on shutdown.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getNetworkConfig().setAddresses(addresses);
    return com.hazelcast.client.HazelcastClient.newHazelcastClient(config);
  }
}
