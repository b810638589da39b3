package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many requests at once share one Redis connection per event loop and go out in batches; each still
 * gets its own answer, also when Redis has forgotten the script and the batch fails whole.
 */
class RedisPipelineIT extends ServiceHarness {

  @Override
  protected Store store() {
    return Store.REDIS;
  }

  @Test
  void concurrentRequestsAreEachCountedExactlyOnce() throws Exception {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 1000}
            """));
    List<Future<RlsClient.Outcome>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(client.send(request("edge", descriptor("user", "carol"))));
    }
    Future.all(calls).await(10, TimeUnit.SECONDS);

    assertThat(calls)
        .allSatisfy(
            call -> assertThat(call.result().response().getOverallCode()).isEqualTo(Code.OK));
    assertThat(
            calls.stream().map(call -> call.result().response().getStatuses(0).getLimitRemaining()))
        .doesNotHaveDuplicates()
        .hasSize(100);
    assertThat(
            check(request("edge", descriptor("user", "carol"))).getStatuses(0).getLimitRemaining())
        .isEqualTo(899);
  }

  @Test
  void concurrentRequestsNeverCountTwiceEvenWhenRedisForgetsTheScript() throws Exception {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 1000}
            """));
    check(request("edge", descriptor("user", "warm-up")));
    SharedRedis.command(vertx, Command.SCRIPT, "FLUSH");

    List<Future<RlsClient.Outcome>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(client.send(request("edge", descriptor("user", "alice"))));
    }
    Future.all(calls).await(10, TimeUnit.SECONDS);

    // A request that met the forgotten script is sent again with the script itself (EVAL).
    long ok =
        calls.stream()
            .filter(call -> call.result().status() == GrpcStatus.OK)
            .filter(call -> call.result().response().getOverallCode() == Code.OK)
            .count();
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.call(request("edge", descriptor("user", "bob"))).status())
                    .isEqualTo(GrpcStatus.OK));
    // Counted: every OK answer, each request at most once, and this last request.
    long remaining =
        check(request("edge", descriptor("user", "alice"))).getStatuses(0).getLimitRemaining();
    assertThat(remaining).isBetween(1000L - 100 - 1, 1000L - ok - 1);
  }
}
