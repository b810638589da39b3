package dev.gatehouse.diagnostics;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of the diagnostics extension.
 *
 * @param docsBaseUrl where the developer portal sends {@code docs.path} requests: an edge-proxy
 *     listener, so the document is fetched through the Mapping's own route
 * @param docsRefresh how often every API document is fetched again
 * @param docsTimeout how long one fetch may take, unless the Mapping's {@code docs.timeout_ms} says
 * @param edgeProxyAdminUrl an edge-proxy's admin address, whose {@code /clusters} gives the diag
 *     page each endpoint's health and outlier state; null to show only what is configured
 */
public record DiagnosticsOptions(
    URI docsBaseUrl, Duration docsRefresh, Duration docsTimeout, URI edgeProxyAdminUrl) {

  public static final URI DEFAULT_DOCS_BASE = URI.create("http://127.0.0.1:8080");
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public DiagnosticsOptions {
    if (docsBaseUrl == null) {
      docsBaseUrl = DEFAULT_DOCS_BASE;
    }
    if (!"http".equals(docsBaseUrl.getScheme()) && !"https".equals(docsBaseUrl.getScheme())) {
      throw new IllegalArgumentException(
          "docs base URL: \"" + docsBaseUrl + "\" (expected: http:// or https://)");
    }
    docsRefresh = docsRefresh == null ? DEFAULT_REFRESH : docsRefresh;
    if (docsRefresh.toMillis() < 100) {
      throw new IllegalArgumentException(
          "docs refresh: " + docsRefresh + " (expected: at least 100 ms)");
    }
    docsTimeout = docsTimeout == null ? DEFAULT_TIMEOUT : docsTimeout;
  }

  /** Defaults: docs through the edge-proxy on 127.0.0.1:8080, refreshed every minute. */
  public static DiagnosticsOptions defaults() {
    return new DiagnosticsOptions(null, null, null, null);
  }
}
