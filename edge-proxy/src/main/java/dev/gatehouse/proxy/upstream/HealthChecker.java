package dev.gatehouse.proxy.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Active HTTP health checking of every endpoint of a cluster: a GET of the path each interval,
 * healthy when the status is expected; {@code unhealthy_threshold} failures in a row take an
 * endpoint out, {@code healthy_threshold} successes bring it back.
 */
final class HealthChecker {
  private final Vertx vertx;
  private final HttpClient client;
  private volatile ClusterSettings settings;
  private final ClusterSettings.HealthCheck check;
  // [successes, failures] per endpoint; touched only on the checker's own context.
  private final Map<Endpoint, int[]> streaks = new HashMap<>();
  private volatile long timer = -1;
  private volatile boolean stopped;

  HealthChecker(Vertx vertx, HttpClient client, ClusterSettings settings) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.check = settings.healthCheck();
  }

  /**
   * Starts on an event-loop context of its own, where every probe and its conclusion then run. Not
   * the caller's: edge-proxy starts clusters from its xDS client, on Vert.x's acceptor loop, which
   * accepts the connections of every listener and should carry no other traffic.
   */
  void start() {
    ((io.vertx.core.internal.VertxInternal) vertx)
        .createEventLoopContext()
        .runOnContext(
            v -> {
              if (!stopped) {
                probeAll();
                timer = vertx.setPeriodic(check.interval().toMillis(), id -> probeAll());
              }
            });
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Checks the endpoints of {@code updated} from the next round on (same check settings). */
  void update(ClusterSettings updated) {
    settings = updated;
  }

  private void probeAll() {
    List<Endpoint> endpoints = settings.endpoints();
    // The streaks of endpoints removed since the last round go; the others carry on.
    streaks.keySet().retainAll(new java.util.HashSet<>(endpoints));
    for (Endpoint endpoint : endpoints) {
      probe(endpoint);
    }
  }

  private void probe(Endpoint endpoint) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
            .setHost(check.host().isEmpty() ? endpoint.host() : check.host())
            .setPort(endpoint.port())
            .setURI(check.path())
            .setTimeout(check.timeout().toMillis());
    options.putHeader("user-agent", "Envoy/HC");
    client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(ignored -> response.statusCode()))
        .onComplete(
            result -> conclude(endpoint, result.succeeded() && check.healthy(result.result())));
  }

  private void conclude(Endpoint endpoint, boolean passed) {
    int[] streak = streaks.computeIfAbsent(endpoint, e -> new int[2]);
    if (passed) {
      streak[0]++;
      streak[1] = 0;
      if (streak[0] >= check.healthyThreshold()) {
        endpoint.state().activeHealth(EndpointState.Health.HEALTHY);
      }
    } else {
      streak[1]++;
      streak[0] = 0;
      if (streak[1] >= check.unhealthyThreshold()) {
        endpoint.state().activeHealth(EndpointState.Health.UNHEALTHY);
      }
    }
  }
}
