package dev.gatehouse.proxy;

import java.util.List;
import java.util.Objects;

/**
 * How to run an edge proxy.
 *
 * @param xdsServers control-plane replicas to stream ADS from, tried in turn
 * @param nodeId the xDS node id; nodeCluster its cluster, also the {@code source_cluster} of rate
 *     limits
 * @param adminPort 0 for any free port (tests)
 */
public record EdgeProxyOptions(
    List<Address> xdsServers, String nodeId, String nodeCluster, String adminHost, int adminPort) {

  /** A host and port. */
  public record Address(String host, int port) {}

  public EdgeProxyOptions {
    xdsServers = List.copyOf(xdsServers);
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodeCluster, "nodeCluster");
  }
}
