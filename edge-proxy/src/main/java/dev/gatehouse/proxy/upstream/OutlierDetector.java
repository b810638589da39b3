package dev.gatehouse.proxy.upstream;

import java.util.List;

/**
 * Envoy's passive outlier detection for one cluster: consecutive 5xx answers (or consecutive
 * gateway errors: 502, 503, 504 and connection failures) eject an endpoint for base ejection time
 * times the number of times it has been ejected, up to the maximum, while at most max ejection
 * percent of the endpoints (and always at least one) are out.
 */
public final class OutlierDetector {
  private final ClusterSettings.Outlier settings;
  private final List<Endpoint> endpoints;

  public OutlierDetector(ClusterSettings.Outlier settings, List<Endpoint> endpoints) {
    this.settings = settings;
    this.endpoints = endpoints;
  }

  /**
   * Records one upstream result: an HTTP status, or 0 for a connection failure or reset. True when
   * this result ejected the endpoint.
   */
  public boolean record(Endpoint endpoint, int status, long nowNanos) {
    if (settings == null) {
      return false;
    }
    EndpointState state = endpoint.state();
    boolean gatewayError = status == 0 || status == 502 || status == 503 || status == 504;
    boolean serverError = status == 0 || status >= 500;
    int fiveXx =
        serverError ? state.consecutive5xx().incrementAndGet() : reset(state.consecutive5xx());
    int gateway =
        gatewayError
            ? state.consecutiveGatewayErrors().incrementAndGet()
            : reset(state.consecutiveGatewayErrors());
    boolean trips =
        (settings.consecutive5xx() > 0 && fiveXx >= settings.consecutive5xx())
            || (settings.consecutiveGatewayFailure() > 0
                && gateway >= settings.consecutiveGatewayFailure());
    if (trips && !state.ejected(nowNanos) && mayEject(nowNanos)) {
      long base = settings.baseEjectionTime().toNanos();
      long length =
          Math.min(
              base * (state.ejections() + 1), Math.max(base, settings.maxEjectionTime().toNanos()));
      state.eject(nowNanos + length);
      return true;
    }
    return false;
  }

  private static int reset(java.util.concurrent.atomic.AtomicInteger counter) {
    counter.set(0);
    return 0;
  }

  private boolean mayEject(long nowNanos) {
    long ejected = endpoints.stream().filter(e -> e.state().ejected(nowNanos)).count();
    long allowed = Math.max(1, endpoints.size() * settings.maxEjectionPercent() / 100);
    return ejected < allowed;
  }
}
