package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.ratelimit.limiter.FailureMode;
import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.RedisSettings;
import dev.gatehouse.ratelimit.store.RedisStore;
import dev.gatehouse.testkit.FreePorts;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service on each kind of Redis deployment it supports, all real redis-server processes: a
 * password over TLS, a master found through Sentinel, and a three-node Cluster.
 */
class RedisDeploymentsIT {
  private final RedisProcesses redis = new RedisProcesses();
  private Vertx vertx;
  private RateLimitServer server;
  private RlsClient client;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private void startService(RedisSettings settings) throws Exception {
    StaticConfigSource source = new StaticConfigSource();
    LimiterSettings limiter =
        new LimiterSettings(
            FailureMode.ERROR, Duration.ofSeconds(2), false, 100_000, 5, Duration.ofMillis(200));
    server =
        RateLimitServer.start(
                vertx,
                new RateLimitServerOptions(
                    Path.of("unused"),
                    "default",
                    null,
                    "127.0.0.1",
                    0,
                    null,
                    null,
                    limiter,
                    1,
                    null),
                new RedisStore(vertx, settings, null),
                source,
                System::nanoTime)
            .await(30, TimeUnit.SECONDS);
    source.push(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 2}
            """));
    client = new RlsClient(vertx, server.grpcPort());
  }

  /** Two users on two counters, possibly in different slots: 2, 2, then both denied. */
  private void countsAndDenies() {
    RateLimitRequest both =
        request("edge", descriptor("user", "alice"), descriptor("user", "bob-on-another-slot"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(client.call(both).status())
                    .isEqualTo(io.vertx.grpc.common.GrpcStatus.OK));
    RateLimitResponse second = client.check(both);
    assertThat(second.getOverallCode()).isEqualTo(Code.OK);
    assertThat(second.getStatuses(0).getLimitRemaining()).isZero();
    assertThat(second.getStatuses(1).getLimitRemaining()).isZero();
    assertThat(client.check(both).getOverallCode()).isEqualTo(Code.OVER_LIMIT);
  }

  @Test
  void passwordAndTls() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    try {
      int port = FreePorts.next();
      redis.start(
          port,
          "--port",
          "0",
          "--tls-port",
          Integer.toString(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
          "--requirepass",
          "s3cret",
          "--tls-cert-file",
          certificate.certificatePath(),
          "--tls-key-file",
          certificate.privateKeyPath(),
          "--tls-auth-clients",
          "no");
      startService(
          new RedisSettings(
              List.of(URI.create("rediss://:s3cret@127.0.0.1:" + port)),
              RedisSettings.Mode.STANDALONE,
              null,
              "",
              true,
              2));

      countsAndDenies();
    } finally {
      certificate.delete();
    }
  }

  @Test
  void masterFoundThroughSentinel() throws Exception {
    int master = redis.server();
    int sentinel = FreePorts.next();
    redis.write(
        "sentinel.conf",
        "port "
            + sentinel
            + "\nbind 127.0.0.1\nsentinel monitor primary 127.0.0.1 "
            + master
            + " 1\n");
    redis.start(sentinel, "sentinel.conf", "--sentinel");
    startService(
        new RedisSettings(
            List.of(URI.create("redis://127.0.0.1:" + sentinel)),
            RedisSettings.Mode.SENTINEL,
            "primary",
            "",
            false,
            2));

    countsAndDenies();
    assertThat(redis.cli("-p", Integer.toString(master), "dbsize").trim()).isEqualTo("2");
  }

  @Test
  void threeNodeCluster() throws Exception {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = FreePorts.next();
      List<String> args = new ArrayList<>(RedisProcesses.base(port));
      args.addAll(
          List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf"));
      redis.start(port, args.toArray(String[]::new));
      nodes.add("127.0.0.1:" + port);
    }
    List<String> create = new ArrayList<>(List.of("--cluster", "create"));
    create.addAll(nodes);
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    redis.cli(create.toArray(String[]::new));
    String first = nodes.get(0).split(":")[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> redis.cli("-p", first, "cluster", "info").contains("cluster_state:ok"));
    List<URI> urls = nodes.stream().map(n -> URI.create("redis://" + n)).toList();
    startService(new RedisSettings(urls, RedisSettings.Mode.CLUSTER, null, "", false, 2));
    // The two counters live in different slots, so the request takes one script per slot.
    assertThat(redis.cli("-p", first, "cluster", "keyslot", "{edge_user_alice_}"))
        .isNotEqualTo(
            redis.cli("-p", first, "cluster", "keyslot", "{edge_user_bob-on-another-slot_}"));

    countsAndDenies();
  }
}
