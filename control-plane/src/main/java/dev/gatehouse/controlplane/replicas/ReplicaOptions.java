package dev.gatehouse.controlplane.replicas;

import dev.gatehouse.config.distribution.Distribution;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a control-plane replica joins the others.
 *
 * @param bindHost the interface Hazelcast binds and announces ("0.0.0.0": all, announce the first)
 * @param members TCP member list ({@code host:port}) for compose; empty with {@code dnsService}
 * @param dnsService Kubernetes headless service for DNS discovery (Helm), or null
 * @param keyRotation how often the leader adds a signing key; a key verifies for twice as long
 */
public record ReplicaOptions(
    String clusterName,
    String bindHost,
    int port,
    List<String> members,
    String dnsService,
    Duration keyRotation) {

  public ReplicaOptions {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(bindHost, "bindHost");
    members = List.copyOf(members);
    Objects.requireNonNull(keyRotation, "keyRotation");
    if (keyRotation.isNegative() || keyRotation.isZero()) {
      throw new IllegalArgumentException("keyRotation: " + keyRotation + " (expected: > 0)");
    }
  }

  /** A replica on {@code port} that joins the given members (none: it starts alone). */
  public static ReplicaOptions tcp(String bindHost, int port, List<String> members) {
    return new ReplicaOptions(
        Distribution.CLUSTER_NAME, bindHost, port, members, null, Duration.ofHours(24));
  }
}
