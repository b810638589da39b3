package dev.gatehouse.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
  @Test
  void countsDownstreamAnswersPerListenerAndStatusClass() {
    ProxyMetrics metrics = new ProxyMetrics();
    metrics.downstream("ingress_http", 200);
    metrics.downstream("ingress_http", 204);
    metrics.downstream("ingress_http", 503);
    metrics.downstream("ingress_https", 200);
    metrics.downstream("ingress_http", 0); // the client went away before an answer

    String scrape = metrics.scrape();

    assertThat(scrape)
        .containsPattern(
            "envoy_http_downstream_rq_xx_total\\{envoy_http_conn_manager_prefix=\"ingress_http\","
                + "envoy_response_code_class=\"2\"} 2\\.0")
        .containsPattern(
            "envoy_http_downstream_rq_xx_total\\{envoy_http_conn_manager_prefix=\"ingress_http\","
                + "envoy_response_code_class=\"5\"} 1\\.0")
        .containsPattern(
            "envoy_http_downstream_rq_xx_total\\{envoy_http_conn_manager_prefix=\"ingress_https\","
                + "envoy_response_code_class=\"2\"} 1\\.0")
        .containsPattern(
            "envoy_http_downstream_rq_xx_total\\{envoy_http_conn_manager_prefix=\"ingress_http\","
                + "envoy_response_code_class=\"0\"} 1\\.0");
  }

  @Test
  void countsUpstreamAnswersPerClusterIncludingOddStatuses() {
    ProxyMetrics metrics = new ProxyMetrics();
    metrics.upstream("cluster_a", 404);
    metrics.upstream("cluster_a", 418);
    metrics.upstream("cluster_b", 200);
    metrics.upstream("cluster_b", 799); // outside 1xx-5xx: still counted, in its own class

    String scrape = metrics.scrape();

    assertThat(scrape)
        .containsPattern(
            "envoy_cluster_upstream_rq_xx_total\\{envoy_cluster_name=\"cluster_a\","
                + "envoy_response_code_class=\"4\"} 2\\.0")
        .containsPattern(
            "envoy_cluster_upstream_rq_xx_total\\{envoy_cluster_name=\"cluster_b\","
                + "envoy_response_code_class=\"2\"} 1\\.0")
        .containsPattern(
            "envoy_cluster_upstream_rq_xx_total\\{envoy_cluster_name=\"cluster_b\","
                + "envoy_response_code_class=\"7\"} 1\\.0");
  }
}
