package dev.gatehouse.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.proxy.xds.ClusterTranslator;
import dev.gatehouse.proxy.xds.StaticClusters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections a cluster's requests travel on: each event loop keeps its own, so a request
 * never crosses to another thread, and the connection limits are shared out among the loops. Real
 * HTTP upstream on loopback; the upstream answers with the client port of each request's
 * connection, which tells the connections apart.
 */
class ClusterRuntimeTest {
  private Vertx vertx;
  private HttpServer upstream;
  private final Queue<HttpServerResponse> held = new ConcurrentLinkedQueue<>();
  private final List<ClusterRuntime> clusters = new ArrayList<>();
  private Context loopA;
  private Context loopB;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    upstream =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  String port = String.valueOf(request.remoteAddress().port());
                  if (request.path().equals("/hold")) {
                    held.add(request.response().putHeader("client-port", port));
                  } else {
                    request.response().end(port);
                  }
                })
            .listen(0, "127.0.0.1")
            .await();
    loopA = ((VertxInternal) vertx).createEventLoopContext();
    loopB = ((VertxInternal) vertx).createEventLoopContext();
    assertThat(((ContextInternal) loopA).nettyEventLoop())
        .isNotSameAs(((ContextInternal) loopB).nettyEventLoop());
  }

  @AfterEach
  void stop() {
    clusters.forEach(ClusterRuntime::close);
    vertx.close().await();
  }

  @Test
  void eachEventLoopSendsOnConnectionsOfItsOwn() {
    ClusterRuntime cluster = cluster(ClusterSettings.Thresholds.DEFAULTS);

    String fromB = send(cluster, loopB, "/");
    // Vert.x's shared pool would hand loop A the connection that just answered loop B.
    String fromA = send(cluster, loopA, "/");
    assertThat(fromA).isNotEqualTo(fromB);
    assertThat(send(cluster, loopA, "/")).isEqualTo(fromA);
    assertThat(send(cluster, loopB, "/")).isEqualTo(fromB);
    assertThat(cluster.pools()).isEqualTo(3);
  }

  @Test
  void eachLoopGetsItsShareOfMaxConnections() {
    ClusterRuntime cluster = cluster(new ClusterSettings.Thresholds(4, 1024, 1024, 3));

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(sendAsync(cluster, loopA, "/hold"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 2);
    // The third request waits for one of loop A's 4 / 2 connections rather than opening a third.
    await().during(Duration.ofMillis(300)).until(() -> held.size() == 2);

    HttpServerResponse first = held.poll();
    first.end();
    await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 2);
    held.forEach(HttpServerResponse::end);
    List<String> ports = answers.stream().map(this::answerOf).toList();
    assertThat(ports).hasSize(3).doesNotContainNull();
    assertThat(ports.stream().distinct()).hasSize(2);
  }

  @Test
  void aLimitBelowTheNumberOfLoopsKeepsOnePoolSoTheLimitHolds() {
    ClusterRuntime cluster = cluster(new ClusterSettings.Thresholds(1, 1024, 1024, 3));

    String fromB = send(cluster, loopB, "/");
    assertThat(send(cluster, loopA, "/")).isEqualTo(fromB);
    assertThat(cluster.pools()).isEqualTo(1);
  }

  @Test
  void endpointUpdateKeepsTheConnectionsAndTheStateOfEndpointsThatRemain() {
    ClusterRuntime cluster = cluster(ClusterSettings.Thresholds.DEFAULTS);
    Endpoint original = cluster.settings().endpoints().get(0);
    String before = send(cluster, loopA, "/");
    original.state().eject(System.nanoTime() - 1); // an ejection in its past, already over
    HttpServer second = vertx.createHttpServer().requestHandler(r -> r.response().end("second"));
    second.listen(0, "127.0.0.1").await();

    ClusterSettings scaled =
        cluster
            .settings()
            .withEndpoints(
                List.of(
                    new Endpoint("127.0.0.1", upstream.actualPort(), 1),
                    new Endpoint("127.0.0.1", second.actualPort(), 1)));
    assertThat(cluster.takesEndpointsOf(scaled)).isTrue();
    cluster.updateEndpoints(scaled);

    assertThat(cluster.settings().endpoints()).hasSize(2);
    assertThat(cluster.settings().endpoints().get(0)).isSameAs(original);
    assertThat(original.state().ejections()).isEqualTo(1);
    assertThat(cluster.settings().endpoints().get(1).state().ejections()).isZero();
    // The same connection carries the next request: the pool was kept.
    assertThat(send(cluster, loopA, "/")).isEqualTo(before);
  }

  @Test
  void endpointRemovedByAnUpdateIsNoLongerPicked() {
    ClusterRuntime cluster = cluster(ClusterSettings.Thresholds.DEFAULTS);
    Endpoint other = new Endpoint("127.0.0.1", 1, 1);

    cluster.updateEndpoints(cluster.settings().withEndpoints(List.of(other)));

    for (int i = 0; i < 10; i++) {
      assertThat(cluster.pick(i, null)).isSameAs(other);
    }
  }

  @Test
  void changeBeyondTheEndpointsIsNotTakenInPlace() {
    ClusterRuntime cluster = cluster(ClusterSettings.Thresholds.DEFAULTS);
    ClusterSettings now = cluster.settings();
    ClusterSettings otherLimits =
        new ClusterSettings(
            now.name(),
            now.policy(),
            List.of(new Endpoint("127.0.0.1", 1, 1)),
            now.connectTimeout(),
            now.http2(),
            now.tls(),
            new ClusterSettings.Thresholds(7, 1024, 1024, 3),
            now.outlier(),
            now.healthCheck(),
            now.healthyPanicThreshold(),
            now.idleTimeout());

    assertThat(cluster.takesEndpointsOf(otherLimits)).isFalse();
    assertThat(cluster.takesEndpointsOf(now.withEndpoints(List.of()))).isTrue();
  }

  private ClusterRuntime cluster(ClusterSettings.Thresholds thresholds) {
    ClusterSettings base =
        ClusterTranslator.translate(StaticClusters.at("upstream", upstream.actualPort()), null);
    ClusterSettings settings =
        new ClusterSettings(
            base.name(),
            base.policy(),
            base.endpoints(),
            base.connectTimeout(),
            base.http2(),
            base.tls(),
            thresholds,
            base.outlier(),
            base.healthCheck(),
            base.healthyPanicThreshold(),
            base.idleTimeout());
    ClusterRuntime cluster = new ClusterRuntime(vertx, settings, 2);
    clusters.add(cluster);
    return cluster;
  }

  /** The client port of the connection that carried one request sent from {@code loop}. */
  private String send(ClusterRuntime cluster, Context loop, String path) {
    return answerOf(sendAsync(cluster, loop, path));
  }

  private Future<String> sendAsync(ClusterRuntime cluster, Context loop, String path) {
    Promise<String> answer = Promise.promise();
    loop.runOnContext(
        v ->
            cluster
                .client()
                .request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("127.0.0.1")
                        .setPort(upstream.actualPort())
                        .setURI(path))
                .compose(request -> request.send())
                .compose(
                    response -> {
                      String port = response.getHeader("client-port");
                      return response.body().map(body -> port != null ? port : body.toString());
                    })
                .onComplete(answer));
    return answer.future();
  }

  private String answerOf(Future<String> future) {
    return future.timeout(5, TimeUnit.SECONDS).await();
  }
}
