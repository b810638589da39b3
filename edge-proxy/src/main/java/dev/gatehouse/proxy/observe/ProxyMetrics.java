package dev.gatehouse.proxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The proxy's Prometheus metrics, named as Envoy's Prometheus export names them so that existing
 * dashboards keep working: {@code envoy_http_downstream_rq_xx}, {@code
 * envoy_cluster_upstream_rq_xx}, {@code envoy_cluster_upstream_rq_retry}, {@code
 * envoy_cluster_outlier_detection_ejections_enforced_total}, {@code
 * envoy_cluster_ratelimit_ok|over_limit|error}, {@code envoy_http_ext_authz_ok|denied|error}.
 * Labels are cluster names and status classes only, so their number stays bounded.
 */
public final class ProxyMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  // The two counters every request touches, by listener or cluster and then status class (0-5),
  // so the request path does not build a key string per request.
  private final ConcurrentMap<String, Counter[]> downstreamByClass = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter[]> upstreamByClass = new ConcurrentHashMap<>();

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter counter(String name, String... tags) {
    String key = name + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
  }

  public void downstream(String listener, int status) {
    byClass(
            downstreamByClass,
            "envoy_http_downstream_rq_xx",
            "envoy_http_conn_manager_prefix",
            listener,
            status)
        .increment();
  }

  public void upstream(String cluster, int status) {
    byClass(upstreamByClass, "envoy_cluster_upstream_rq_xx", "envoy_cluster_name", cluster, status)
        .increment();
  }

  private Counter byClass(
      ConcurrentMap<String, Counter[]> cache, String name, String tag, String value, int status) {
    int statusClass = status / 100;
    if (statusClass < 0 || statusClass > 5) {
      return counter(name, tag, value, "envoy_response_code_class", String.valueOf(statusClass));
    }
    Counter[] byClass = cache.get(value);
    if (byClass == null) {
      byClass = cache.computeIfAbsent(value, v -> new Counter[6]);
    }
    Counter counter = byClass[statusClass];
    if (counter == null) {
      // A race only looks the same counter up twice: counter() registers it once.
      counter = counter(name, tag, value, "envoy_response_code_class", String.valueOf(statusClass));
      byClass[statusClass] = counter;
    }
    return counter;
  }

  public void retry(String cluster) {
    counter("envoy_cluster_upstream_rq_retry", "envoy_cluster_name", cluster).increment();
  }

  public void ejection(String cluster) {
    counter(
            "envoy_cluster_outlier_detection_ejections_enforced_total",
            "envoy_cluster_name",
            cluster)
        .increment();
  }

  /** One rate-limit answer: ok, over_limit or error. */
  public void rateLimit(String cluster, String outcome) {
    counter("envoy_cluster_ratelimit_" + outcome, "envoy_cluster_name", cluster).increment();
  }

  /** One ext_authz answer: ok, denied or error. */
  public void authz(String listener, String outcome) {
    counter("envoy_http_ext_authz_" + outcome, "envoy_http_conn_manager_prefix", listener)
        .increment();
  }
}
