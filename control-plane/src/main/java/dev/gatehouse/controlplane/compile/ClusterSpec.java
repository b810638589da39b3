package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.HealthCheck;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.OutlierDetection;
import java.util.List;

/**
 * Everything that makes two upstreams different clusters. Mappings with equal specs share one
 * cluster; the cluster's name is derived from the spec, so it survives edits to other Mappings.
 *
 * @param originate the TLSContext named by a Mapping's {@code tls}, or null
 * @param eds the Kubernetes Service port ({@code name.namespace:port}) whose EndpointSlices give
 *     the endpoints over EDS, or null for a DNS name or an IP
 */
record ClusterSpec(
    String host,
    int port,
    boolean tls,
    TLSContext originate,
    boolean http2,
    int connectTimeoutMs,
    Integer idleTimeoutMs,
    Integer maxConnectionLifetimeMs,
    LoadBalancer.Policy policy,
    List<CircuitBreaker> circuitBreakers,
    OutlierDetection outlierDetection,
    List<HealthCheck> healthChecks,
    String tag,
    String eds) {

  /** Emissary's default connect timeout. */
  static final int DEFAULT_CONNECT_TIMEOUT_MS = 3000;

  ClusterSpec {
    circuitBreakers = List.copyOf(circuitBreakers);
    healthChecks = List.copyOf(healthChecks);
  }

  /** A plain upstream for a service of our own (auth, rate limit): defaults only. */
  static ClusterSpec service(
      String host, int port, boolean tls, boolean http2, List<CircuitBreaker> breakers) {
    return new ClusterSpec(
        host,
        port,
        tls,
        null,
        http2,
        DEFAULT_CONNECT_TIMEOUT_MS,
        null,
        null,
        LoadBalancer.Policy.ROUND_ROBIN,
        breakers,
        null,
        List.of(),
        null,
        null);
  }

  /**
   * {@code cluster_<host>_<port>_<hash>}: readable on the diag page, unique per spec. Record
   * toString is a canonical rendering of every component (lists and nested records included).
   */
  String name() {
    // Without EDS the rendering is the one from before EDS existed, so directory-mode cluster
    // names (and the golden files) did not change when the component was added.
    String canonical = toString();
    if (eds == null) {
      canonical = canonical.replace(", eds=null]", "]");
    }
    return "cluster_" + Names.slug(host) + "_" + port + "_" + Names.hash(canonical, 8);
  }
}
