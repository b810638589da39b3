package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.PublishedDocument;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.testkit.FreePorts;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --control-plane}: the service takes its RateLimits from a real control-plane replica
 * (Hazelcast member over loopback) as a client, keeps them while the replica is gone, and follows
 * the replica that comes back.
 */
class ControlPlaneConfigIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final AtomicInteger probes = new AtomicInteger();
  private Vertx vertx;
  private Replicas replicas;
  private RateLimitServer server;
  private RlsClient client;
  private int hazelcastPort;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    hazelcastPort = FreePorts.next();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
    if (replicas != null) {
      replicas.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void limitsPublishedByTheControlPlaneApplyAndOutliveItsAbsence() throws Exception {
    replicas = startReplica();
    publish("v1", 2);
    server =
        RateLimitServer.start(vertx, options().withControlPlane(List.of(address())))
            .await(60, TimeUnit.SECONDS);
    client = new RlsClient(vertx, server.grpcPort());

    assertThat(codes("acme", 3)).containsExactly(Code.OK, Code.OK, Code.OVER_LIMIT);

    publish("v2", 5);
    await().atMost(WAIT).until(() -> limitNow() == 5);

    replicas.close();
    replicas = null;
    // The control plane is gone: the last configuration keeps serving.
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> limitNow() == 5);

    replicas = startReplica();
    publish("v3", 7);
    await().atMost(WAIT).until(() -> limitNow() == 7);
  }

  @Test
  void readinessWaitsForTheFirstPublishedConfiguration() throws Exception {
    replicas = startReplica();
    publish("v1", 2);
    server =
        RateLimitServer.start(vertx, options().withControlPlane(List.of(address())))
            .await(60, TimeUnit.SECONDS);

    assertThat(server.limiter().config().domains()).containsKey("ambassador");
  }

  private List<Code> codes(String org, int times) {
    return java.util.stream.IntStream.range(0, times)
        .mapToObj(i -> client.check(request("ambassador", descriptor("x-org", org))))
        .map(RateLimitResponse::getOverallCode)
        .toList();
  }

  /** The limit the service applies now, read from a fresh descriptor's status. */
  private long limitNow() {
    RateLimitResponse response =
        client.check(
            request("ambassador", descriptor("x-org", "probe-" + probes.incrementAndGet())));
    return response.getStatuses(0).getCurrentLimit().getRequestsPerUnit();
  }

  private Replicas startReplica() {
    return Replicas.start(ReplicaOptions.tcp("127.0.0.1", hazelcastPort, List.of()));
  }

  private String address() {
    return "127.0.0.1:" + hazelcastPort;
  }

  private void publish(String version, int rate) {
    String yaml =
        """
        apiVersion: getambassador.io/v3alpha1
        kind: RateLimit
        metadata: {name: per-org, namespace: default}
        spec:
          domain: ambassador
          limits:
          - name: per-org
            pattern: [{x-org: ""}]
            rate: %d
            unit: hour
        """
            .formatted(rate);
    replicas.publish(
        Map.of(
            Distribution.RATELIMIT,
            new ServiceConfig(
                Distribution.RATELIMIT,
                version,
                List.of(new PublishedDocument("limits.yaml", 1, "RateLimit default/per-org", yaml)),
                "",
                0)));
  }

  private static RateLimitServerOptions options() {
    return new RateLimitServerOptions(
        Path.of("unused"),
        "default",
        null,
        "127.0.0.1",
        0,
        null,
        null,
        dev.gatehouse.ratelimit.limiter.LimiterSettings.DEFAULTS,
        1,
        Duration.ofMillis(100));
  }
}
