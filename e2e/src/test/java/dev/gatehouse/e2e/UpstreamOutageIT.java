package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drill (b): one of a cluster's two endpoints is stopped under a fixed rate of idempotent GETs; the
 * route's retries and the cluster's outlier detection and health checks keep the errors under 0.1%.
 * With both stopped, the answer is 503 {@code no healthy upstream}.
 *
 * <p>The cluster and route are compiled by Gatehouse's compiler from a Mapping; the second endpoint
 * is added to the compiled cluster by hand, as EDS will deliver it once the Kubernetes source
 * exists (Gatehouse's control plane emits one endpoint per Mapping service today).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UpstreamOutageIT {
  private static final int RATE = 50;
  private static final String MAPPING =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: quote}
      spec:
        prefix: /quote/
        service: 127.0.0.1:%d
        retry_policy:
          retry_on: 5xx
          num_retries: 3
        outlier_detection:
          interval: 1s
          consecutive_5xx: 2
          base_ejection_time: 30s
          max_ejection_percent: 50
        health_checks:
          - interval: 0.5s
            timeout: 1s
            unhealthy_threshold: 2
            healthy_threshold: 1
            health_check:
              http:
                path: /health
      """;

  @RegisterExtension static EchoUpstream first = new EchoUpstream("first");
  @RegisterExtension static EchoUpstream second = new EchoUpstream("second");

  private BareXdsServer xds;
  private Edge edge;

  @BeforeEach
  void start() throws Exception {
    xds = new BareXdsServer();
    List<Integer> ports = FreePorts.next(2);
    xds.serve(MAPPING.formatted(first.port()), ports.get(0), ports.get(1), this::bothEndpoints);
    edge = Edge.start(ports.get(0), xds.port());
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> edge.get("/quote/").status() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (xds != null) {
      xds.close();
    }
  }

  /** The compiled cluster of the Mapping, with the second upstream as a second endpoint. */
  private Cluster bothEndpoints(Cluster cluster) {
    Cluster.Builder builder = cluster.toBuilder();
    builder
        .getLoadAssignmentBuilder()
        .getEndpointsBuilder(0)
        .addLbEndpoints(
            LbEndpoint.newBuilder()
                .setEndpoint(
                    Endpoint.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress("127.0.0.1")
                                        .setPortValue(second.port())))));
    return builder.build();
  }

  @Test
  void oneEndpointStoppedUnderLoadCostsUnderOneInAThousandRequests() throws Exception {
    List<Load.Shot> shots;
    long stoppedAt;
    try (Load load = Load.start(edge.httpPort, "/quote/", Map.of(), RATE)) {
      load.awaitSteady(RATE, 40);
      // Both endpoints serve before the drill starts.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> load.shots().stream().anyMatch(s -> s.body().contains("\"second\"")));
      long from = load.now();
      Thread.sleep(2_000);
      stoppedAt = load.now();
      second.stop();
      Thread.sleep(6_000);
      shots = load.stop().stream().filter(s -> s.sentAt() >= from).toList();
    }

    Tally all = new Tally("one endpoint of two stopped", shots);
    all.summary();
    Tally after = all.between("after the stop", stoppedAt, Long.MAX_VALUE);
    after.summary();
    assertThat(after.total()).isGreaterThan(RATE * 3);
    assertThat(after.failures().size())
        .as("errors over %d requests: %s", all.total(), all.failures())
        .isLessThanOrEqualTo(all.total() / 1000);
    assertThat(
            all.between("late", stoppedAt + 3_000, Long.MAX_VALUE)
                .matching(s -> s.body().contains("\"second\"")))
        .as("the stopped endpoint gets no more traffic")
        .isEmpty();
  }

  @Test
  void allEndpointsStoppedAnswer503NoHealthyUpstream() throws Exception {
    first.stop();
    second.stop();

    // Each probe may wait for the edge's retries and a 10 s client timeout on a loaded machine
    // (a CI run needed more than 20 s): the drill is about the answer, not how soon it comes.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> edge.get("/quote/").body().equals("no healthy upstream"));
    Edge.Answer answer = edge.get("/quote/");
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("no healthy upstream");

    first.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> edge.get("/quote/").status() == 200);
  }
}
