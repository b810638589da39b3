package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.SigningKey;
import dev.gatehouse.testkit.EchoUpstream;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill (c), second half: two control-plane replicas (child JVMs joined through Hazelcast); the
 * leader (the oldest member) is killed with SIGKILL. Leadership moves to the survivor, which goes
 * on rotating the signing keys; an edge proxy that knows both replicas serves throughout with zero
 * errors. Status writes to Kubernetes are not covered: the Kubernetes source is not built yet, so
 * leadership is what this drill proves.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ControlPlaneFailoverIT {
  private static final int RATE = 50;
  private static final long KEY_ROTATION_MS = 2_000;

  @RegisterExtension static EchoUpstream quote = new EchoUpstream("quote");

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient admin =
      vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  private ControlPlaneProcess leader;
  private ControlPlaneProcess follower;
  private HazelcastInstance client;
  private Edge edge;

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (client != null) {
      client.shutdown();
    }
    if (follower != null) {
      follower.close();
    }
    if (leader != null) {
      leader.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void killingTheLeaderMovesLeadershipAndKeyRotationGoesOn() throws Exception {
    Files.writeString(
        dir.resolve("quote.yaml"),
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: quote}
        spec:
          prefix: /quote/
          service: 127.0.0.1:%d
        """
            .formatted(quote.port()));
    // xds, admin, hazelcast for each replica; one shared pair of listener ports.
    List<Integer> p = FreePorts.next(8);
    String members = "127.0.0.1:" + p.get(2) + ",127.0.0.1:" + p.get(5);
    leader = replica(p.get(0), p.get(1), p.get(2), members, p.get(6), p.get(7)).start();
    follower = replica(p.get(3), p.get(4), p.get(5), members, p.get(6), p.get(7)).start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> diag(p.get(4)).getJsonArray("members").size() == 2);
    assertThat(diag(p.get(1)).getBoolean("leader")).isTrue();
    assertThat(diag(p.get(4)).getBoolean("leader")).isFalse();
    edge = Edge.start(p.get(6), p.get(0), p.get(3));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> edge.get("/quote/").status() == 200);
    ClientConfig config = new ClientConfig();
    config.setClusterName(Distribution.CLUSTER_NAME);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().addAddress(members.split(","));
    client = HazelcastClient.newHazelcastClient(config);

    List<Load.Shot> shots;
    long killedAt;
    try (Load load = Load.start(edge.httpPort, "/quote/", Map.of(), RATE)) {
      load.awaitSteady(RATE, 40);
      long from = load.now();
      Thread.sleep(1_000);
      killedAt = load.now();
      long killedAtMillis = System.currentTimeMillis();
      leader.kill();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> diag(p.get(4)).getBoolean("leader"));
      long ledAt = load.now();
      assertThat(diag(p.get(4)).getJsonArray("members")).hasSize(1);
      // The survivor rotates: a key created after the kill appears in the shared map.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  client.<String, SigningKey>getMap(Distribution.SIGNING_KEYS).values().stream()
                      .anyMatch(k -> k.createdAtMillis() > killedAtMillis));
      org.slf4j.LoggerFactory.getLogger("gatehouse.e2e")
          .info(
              "leader killed: the survivor led after {} ms and generated a key after {} ms",
              ledAt - killedAt,
              load.now() - killedAt);
      shots = load.stop().stream().filter(s -> s.sentAt() >= from).toList();
    }

    Tally all = new Tally("leader replica killed", shots);
    all.summary();
    assertThat(all.failures()).as("the edge serves throughout").isEmpty();
  }

  private ControlPlaneProcess replica(
      int xds, int adminPort, int hazelcast, String members, int http, int https) {
    return new ControlPlaneProcess(
        dir,
        xds,
        adminPort,
        http,
        https,
        List.of(Integer.toString(hazelcast), members, Long.toString(KEY_ROTATION_MS)));
  }

  /** The {@code replicas} part of a replica's diag report. */
  private JsonObject diag(int adminPort) throws Exception {
    return admin
        .request(HttpMethod.GET, adminPort, "127.0.0.1", "/ambassador/v0/diag/?json=true")
        .compose(r -> r.send())
        .compose(r -> r.body())
        .map(body -> new JsonObject(body.toString()).getJsonObject("replicas"))
        .await(10, TimeUnit.SECONDS);
  }
}
