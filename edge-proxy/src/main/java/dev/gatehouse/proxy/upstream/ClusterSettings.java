package dev.gatehouse.proxy.upstream;

import dev.gatehouse.proxy.upstream.balancer.LoadBalancer;
import java.time.Duration;
import java.util.List;

/**
 * What an xDS Cluster says, in the terms edge-proxy acts on. Immutable; compared as a whole to
 * decide whether a CDS update may keep the running cluster (and its connections and endpoint state)
 * or must replace it.
 *
 * @param healthyPanicThreshold percent of available endpoints below which all endpoints are used,
 *     Envoy's panic mode (0 disables it)
 */
public record ClusterSettings(
    String name,
    LoadBalancer.Policy policy,
    List<Endpoint> endpoints,
    Duration connectTimeout,
    boolean http2,
    UpstreamTls tls,
    Thresholds thresholds,
    Outlier outlier,
    HealthCheck healthCheck,
    int healthyPanicThreshold,
    Duration idleTimeout) {

  public ClusterSettings {
    endpoints = List.copyOf(endpoints);
  }

  /** These settings with other endpoints. */
  public ClusterSettings withEndpoints(List<Endpoint> other) {
    return new ClusterSettings(
        name,
        policy,
        other,
        connectTimeout,
        http2,
        tls,
        thresholds,
        outlier,
        healthCheck,
        healthyPanicThreshold,
        idleTimeout);
  }

  /**
   * Upstream TLS: the SNI to send, the ALPN protocols to offer, an optional client certificate, and
   * the CA file to trust (the JVM's trust store when absent).
   */
  public record UpstreamTls(
      String sni,
      List<String> alpn,
      String certChainFile,
      String privateKeyFile,
      String trustedCaFile) {}

  /** Circuit-breaker limits, Envoy's defaults 1024/1024/1024/3. */
  public record Thresholds(
      int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
    public static final Thresholds DEFAULTS = new Thresholds(1024, 1024, 1024, 3);
  }

  /** Passive outlier detection; a zero count disables that detector. */
  public record Outlier(
      int consecutive5xx,
      int consecutiveGatewayFailure,
      Duration interval,
      Duration baseEjectionTime,
      Duration maxEjectionTime,
      int maxEjectionPercent) {}

  /** An active HTTP health check. */
  public record HealthCheck(
      String path,
      String host,
      Duration interval,
      Duration timeout,
      int unhealthyThreshold,
      int healthyThreshold,
      List<long[]> expectedStatuses) {

    /** Whether a status counts as healthy: in a [start, end) range, or 200 when none are given. */
    public boolean healthy(int status) {
      if (expectedStatuses.isEmpty()) {
        return status == 200;
      }
      return expectedStatuses.stream().anyMatch(r -> status >= r[0] && status < r[1]);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof HealthCheck that
          && path.equals(that.path)
          && host.equals(that.host)
          && interval.equals(that.interval)
          && timeout.equals(that.timeout)
          && unhealthyThreshold == that.unhealthyThreshold
          && healthyThreshold == that.healthyThreshold
          && expectedStatuses.size() == that.expectedStatuses.size()
          && java.util.stream.IntStream.range(0, expectedStatuses.size())
              .allMatch(
                  i ->
                      java.util.Arrays.equals(
                          expectedStatuses.get(i), that.expectedStatuses.get(i)));
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(
          path,
          host,
          interval,
          timeout,
          unhealthyThreshold,
          healthyThreshold,
          expectedStatuses.size());
    }
  }
}
