package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gatehouse ratelimit} really serves: gRPC on its port, admin on its own, until stopped. */
class RateLimitCommandIT {
  @TempDir Path dir;

  @Test
  void servesShouldRateLimitOverH2cAndAdminUntilStopped() throws Exception {
    Files.writeString(
        dir.resolve("edge.yaml"),
        """
        domain: edge
        descriptors:
          - key: user
            rate_limit: {unit: hour, requests_per_unit: 1}
        """);
    int grpcPort = freePort();
    int adminPort = freePort();
    StringWriter out = new StringWriter();
    CommandLine commandLine = Gatehouse.commandLine(Map.of("GATEHOUSE_ON_STORE_ERROR", "deny"));
    commandLine.setOut(new PrintWriter(out, true));
    RateLimitCommand command =
        (RateLimitCommand) commandLine.getSubcommands().get("ratelimit").getCommand();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                commandLine.execute(
                    "ratelimit",
                    "--config-dir",
                    dir.toString(),
                    "--ratelimit-port",
                    Integer.toString(grpcPort),
                    "--admin-port",
                    Integer.toString(adminPort)));
    Vertx vertx = Vertx.vertx();
    try {
      awaitReady(adminPort, exit);
      assertThat(out.toString())
          .isEqualTo(
              "gatehouse ratelimit: gRPC on port "
                  + grpcPort
                  + ", admin on port "
                  + adminPort
                  + ", counters in memory\n");

      assertThat(shouldRateLimit(vertx, grpcPort).getOverallCode())
          .isEqualTo(RateLimitResponse.Code.OK);
      assertThat(shouldRateLimit(vertx, grpcPort).getOverallCode())
          .isEqualTo(RateLimitResponse.Code.OVER_LIMIT);
      assertThat(get(adminPort, "/metrics").body())
          .contains("gatehouse_ratelimit_over_limit_total{rule=\"edge.user\"} 1.0");
    } finally {
      command.stop();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(Gatehouse.OK);
  }

  /** ShouldRateLimit as gRPC frames it, over h2c with prior knowledge, as Envoy sends it. */
  private static RateLimitResponse shouldRateLimit(Vertx vertx, int port) throws Exception {
    RateLimitRequest request =
        RateLimitRequest.newBuilder()
            .setDomain("edge")
            .addDescriptors(
                RateLimitDescriptor.newBuilder()
                    .addEntries(
                        RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue("alice")))
            .build();
    byte[] message = request.toByteArray();
    Buffer frame =
        Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      // The body is read in the same chain as the response arrives, or it is gone.
      Buffer[] received = new Buffer[1];
      String status =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.POST)
                      .setHost("127.0.0.1")
                      .setPort(port)
                      .setURI("/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
                      .putHeader("content-type", "application/grpc")
                      .putHeader("te", "trailers"))
              .compose(req -> req.send(frame))
              .compose(
                  (HttpClientResponse response) ->
                      response
                          .body()
                          .map(
                              body -> {
                                received[0] = body;
                                return response.trailers().get("grpc-status");
                              }))
              .await(10, TimeUnit.SECONDS);
      assertThat(status).isEqualTo("0");
      Buffer body = received[0];
      return RateLimitResponse.parseFrom(body.getBytes(5, body.length()));
    } finally {
      client.close();
    }
  }

  private static void awaitReady(int adminPort, CompletableFuture<Integer> exit) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (exit.isDone()) {
        throw new AssertionError("the command exited with " + exit.get());
      }
      try {
        if (get(adminPort, "/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the admin port opens once the service is up
      }
      // No readiness callback crosses the command line: poll, briefly.
      Thread.sleep(50);
    }
    throw new AssertionError("not ready within 30 s");
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
