package dev.gatehouse.authz;

import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The hot path never blocks an event loop: with Vert.x's blocked-thread checker set to complain
 * after 200 ms, JWT checks that must first fetch keys from a JWKS endpoint answering after 500 ms,
 * and API-key checks, many in flight, leave it silent. A fetch made by blocking would hold the loop
 * for the whole 500 ms; the margin keeps scheduling noise on a busy machine from counting.
 */
class EventLoopNotBlockedIT {
  @TempDir Path dir;

  @Test
  void checksIncludingAFirstJwksFetchNeverTripTheBlockedThreadChecker() throws Exception {
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.addAppender(warnings);
    warnings.start();
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(200)
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    // The client and the JWKS servers run on their own Vert.x: only the service is watched.
    Vertx clientVertx = Vertx.vertx();
    try (TestJwks warm = new TestJwks(clientVertx);
        TestJwks cold = new TestJwks(clientVertx)) {
      new ConfigDir(dir)
          .write("k.txt", "key\n")
          .write(
              "all.yaml",
              ConfigDir.filter("warm", "JWT:\n  jwksURI: " + warm.uri() + "\n")
                  + ConfigDir.filter("cold", "JWT:\n  jwksURI: " + cold.uri() + "\n")
                  + ConfigDir.filter("keys", "APIKey:\n  keys: [{file: k.txt}]\n")
                  + ConfigDir.policy(
                      "p",
                      """
                      rules:
                      - {host: "*", path: /warm/*, filters: [{name: warm}]}
                      - {host: "*", path: /cold/*, filters: [{name: cold}]}
                      - {host: "*", path: /key/*, filters: [{name: keys}]}
                      """));
      ExtAuthzService.Settings defaults = Services.settings(dir, List.of());
      ExtAuthzService.Settings settings =
          new ExtAuthzService.Settings(
              defaults.config(),
              defaults.secrets(),
              defaults.host(),
              0,
              0,
              0,
              1,
              defaults.outboundTimeout(),
              AuthzRuntime.JwksTimings.DEFAULT,
              List.of(),
              List.of());
      try (ExtAuthzService service = ExtAuthzService.start(vertx, settings);
          CheckClient client = new CheckClient(clientVertx, service.grpcPort())) {
        // Warm-up: class loading and JIT of the first calls is not what this test is about.
        for (int i = 0; i < 20; i++) {
          assertThat(status(client.get("h", "/warm/x", bearer(warm.token("a", Map.of())))))
              .isEqualTo(200);
        }
        warnings.list.clear();
        cold.delay(java.time.Duration.ofMillis(500));

        // Waves of 30 in flight: enough to overlap the first JWKS fetch, not so many that one
        // read of queued frames legitimately takes long on a busy 2-core machine.
        for (int wave = 0; wave < 10; wave++) {
          List<Future<CheckResponse>> inFlight = new ArrayList<>();
          for (int j = 0; j < 30; j++) {
            int i = wave * 30 + j;
            inFlight.add(
                client.checkAsync(
                    CheckClient.request(
                        "GET",
                        "http",
                        "h",
                        List.of("/warm/x", "/cold/x", "/key/x").get(i % 3),
                        i % 3 == 2
                            ? Map.of("x-api-key", "key")
                            : bearer((i % 3 == 0 ? warm : cold).token("u" + i, Map.of())),
                        Map.of())));
          }
          for (Future<CheckResponse> response : inFlight) {
            assertThat(status(response.await(10, TimeUnit.SECONDS))).isEqualTo(200);
          }
        }
        // Concurrent first uses of the cold filter shared one fetch.
        assertThat(cold.fetches()).isEqualTo(1);
        assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
      }
    } finally {
      checker.detachAppender(warnings);
      vertx.close().await(10, TimeUnit.SECONDS);
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("authorization", "Bearer " + token);
  }
}
