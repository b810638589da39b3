package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many requests at once share one Redis connection per event loop, and the requests of one
 * event-loop turn share one script call; each still gets its own answer and is decided on its own,
 * also when Redis has forgotten the script and the batch fails whole.
 */
class RedisPipelineIT extends ServiceHarness {
  private static final String USER_THEN_PATH =
      """
      domain: edge
      descriptors:
        - key: user
          rate_limit: {unit: hour, requests_per_unit: 1000}
          descriptors:
            - key: path
              rate_limit: {unit: hour, requests_per_unit: 10}
      """;

  @Override
  protected Store store() {
    return Store.REDIS;
  }

  @Test
  void concurrentRequestsAreEachCountedExactlyOnce() throws Exception {
    serveAThousandAnHour();
    List<Future<RlsClient.Outcome>> calls =
        sendTogether(100, request("edge", descriptor("user", "carol")));

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
    serveAThousandAnHour();
    check(request("edge", descriptor("user", "warm-up")));
    SharedRedis.command(vertx, Command.SCRIPT, "FLUSH");

    List<Future<RlsClient.Outcome>> calls =
        sendTogether(100, request("edge", descriptor("user", "alice")));

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

  @Test
  void requestsArrivingTogetherShareScriptCalls() throws Exception {
    serveAThousandAnHour();
    countFromHere();

    List<Future<RlsClient.Outcome>> calls =
        sendTogether(200, request("edge", descriptor("user", "frank")));

    assertThat(
            calls.stream().map(call -> call.result().response().getStatuses(0).getLimitRemaining()))
        .doesNotHaveDuplicates()
        .hasSize(200);
    assertThat(scriptCalls()).isPositive().isLessThan(200);
  }

  @Test
  void aRequestDeniedInABatchConsumesNothingAndLaterOnesSeeEarlierCounts() throws Exception {
    serve(Configs.envoy(USER_THEN_PATH));
    countFromHere();

    List<Future<RlsClient.Outcome>> calls =
        sendTogether(
            50,
            request(
                "edge", descriptor("user", "erin"), descriptor("user", "erin", "path", "/orders")));

    assertThat(calls.stream().map(call -> call.result().response().getOverallCode()))
        .containsOnly(Code.OK, Code.OVER_LIMIT)
        .filteredOn(code -> code == Code.OK)
        .hasSize(10);
    assertThat(scriptCalls()).isLessThan(50);
    // The 40 denied requests counted nothing against the user's own limit.
    assertThat(
            check(request("edge", descriptor("user", "erin"))).getStatuses(0).getLimitRemaining())
        .isEqualTo(1000 - 10 - 1);
  }

  @Test
  void aRequestThatFailsInASharedCallFailsAloneAndTheOthersAreAnswered() throws Exception {
    serveAThousandAnHour();
    check(request("edge", descriptor("user", "mallory")));
    // mallory's counter now holds something that is not a number: the script fails on it.
    for (String key : SharedRedis.command(vertx, Command.KEYS, "*mallory*").split(",")) {
      SharedRedis.command(vertx, Command.SET, key.replaceAll("[\\[\\] ]", ""), "garbage");
    }
    SharedRedis.command(vertx, Command.CONFIG, "RESETSTAT");

    List<RateLimitRequest> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(request("edge", descriptor("user", i % 10 == 5 ? "mallory" : "user" + i)));
    }
    List<Future<RlsClient.Outcome>> calls = sendAll(requests);

    for (int i = 0; i < 40; i++) {
      RlsClient.Outcome outcome = calls.get(i).result();
      if (i % 10 == 5) {
        assertThat(outcome.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
      } else {
        assertThat(outcome.status()).isEqualTo(GrpcStatus.OK);
        assertThat(outcome.response().getStatuses(0).getLimitRemaining()).isEqualTo(999);
      }
    }
    assertThat(scriptCalls()).isLessThan(40);
    // Four failed requests, shared calls or not, did not open the breaker.
    assertThat(check(request("edge", descriptor("user", "carol"))).getOverallCode())
        .isEqualTo(Code.OK);
  }

  @Test
  void aSharedCallThatFailsCountsOnceTowardsTheBreaker() throws Exception {
    serveAThousandAnHour();
    countFromHere();
    // Redis refuses the command itself: each script call fails whole.
    SharedRedis.command(vertx, Command.ACL, "SETUSER", "default", "-evalsha", "-eval");
    List<Future<RlsClient.Outcome>> calls;
    try {
      calls = sendTogether(12, request("edge", descriptor("user", "trent")));
    } finally {
      SharedRedis.command(vertx, Command.ACL, "SETUSER", "default", "+@all");
    }
    assertThat(calls)
        .allSatisfy(call -> assertThat(call.result().status()).isEqualTo(GrpcStatus.UNAVAILABLE));
    long failedCalls = rejectedScriptCalls();
    assertThat(failedCalls).isPositive().isLessThan(12);
    // The breaker opens after 5 failed calls in a row, however many requests they carried (12
    // here): only then is the next request answered without going to Redis.
    assertThat(client.call(request("edge", descriptor("user", "trent"))).status())
        .isEqualTo(failedCalls < 5 ? GrpcStatus.OK : GrpcStatus.UNAVAILABLE);
  }

  @Test
  void requestsOfDifferentShapesInOneCallEachGetTheirOwnVerdicts() throws Exception {
    serve(
        Configs.envoy(
            USER_THEN_PATH
                + "  - key: org\n    rate_limit: {unit: minute, requests_per_unit: 50}\n"));
    countFromHere();

    List<RateLimitRequest> requests = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      requests.add(
          switch (i % 3) {
            case 0 -> request("edge", descriptor("user", "u" + i));
            case 1 ->
                request(
                    "edge", descriptor("org", "o" + i), descriptor("user", "u" + i, "path", "/p"));
            default ->
                request(
                    "edge",
                    descriptor("user", "u" + i),
                    descriptor("org", "o" + i),
                    descriptor("user", "u" + i, "path", "/p"));
          });
    }
    List<Future<RlsClient.Outcome>> calls = sendAll(requests);

    for (int i = 0; i < 30; i++) {
      List<Long> limits =
          calls.get(i).result().response().getStatusesList().stream()
              .map(status -> (long) status.getCurrentLimit().getRequestsPerUnit())
              .toList();
      List<Long> remaining =
          calls.get(i).result().response().getStatusesList().stream()
              .map(status -> (long) status.getLimitRemaining())
              .toList();
      switch (i % 3) {
        case 0 -> {
          assertThat(limits).containsExactly(1000L);
          assertThat(remaining).containsExactly(999L);
        }
        case 1 -> {
          assertThat(limits).containsExactly(50L, 10L);
          assertThat(remaining).containsExactly(49L, 9L);
        }
        default -> {
          assertThat(limits).containsExactly(1000L, 50L, 10L);
          assertThat(remaining).containsExactly(999L, 49L, 9L);
        }
      }
    }
    assertThat(scriptCalls()).isLessThan(30);
  }

  /** Sends {@code count} copies of a request at once and waits for every answer. */
  private List<Future<RlsClient.Outcome>> sendTogether(int count, RateLimitRequest request)
      throws Exception {
    return sendAll(java.util.Collections.nCopies(count, request));
  }

  /** Sends the requests at once and waits for every answer. */
  private List<Future<RlsClient.Outcome>> sendAll(List<RateLimitRequest> requests)
      throws Exception {
    List<Future<RlsClient.Outcome>> calls = new ArrayList<>();
    for (RateLimitRequest request : requests) {
      calls.add(client.send(request));
    }
    Future.all(calls).await(10, TimeUnit.SECONDS);
    return calls;
  }

  /** Warms the connection to Redis up, then zeroes Redis's command counts. */
  private void countFromHere() throws Exception {
    check(request("edge", descriptor("user", "warm-up")));
    SharedRedis.command(vertx, Command.CONFIG, "RESETSTAT");
  }

  private void serveAThousandAnHour() throws Exception {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 1000}
            """));
  }

  private static long rejectedScriptCalls() {
    return evalshaStat("rejected_calls");
  }

  private static long scriptCalls() {
    return evalshaStat("calls");
  }

  /** A count of Redis's INFO commandstats line for EVALSHA. */
  private static long evalshaStat(String field) {
    String stats = SharedRedis.command(vertx, Command.INFO, "commandstats");
    java.util.regex.Matcher value =
        java.util.regex.Pattern.compile("cmdstat_evalsha:(?:.*,)?" + field + "=(\\d+)")
            .matcher(stats);
    return value.find() ? Long.parseLong(value.group(1)) : 0;
  }
}
