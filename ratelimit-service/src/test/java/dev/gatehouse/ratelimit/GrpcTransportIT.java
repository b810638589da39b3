package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ratelimit.limiter.LimiterSettings;
import dev.gatehouse.ratelimit.store.MemoryStore;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transports Envoy and its ecosystem use: h2 over TLS with ALPN, h2c from grpc-java's own
 * client, and a frame that is not a RateLimitRequest.
 */
class GrpcTransportIT {
  private Vertx vertx;
  private SelfSignedCertificate certificate;
  private RateLimitServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
    StaticConfigSource source = new StaticConfigSource();
    RateLimitServerOptions options =
        new RateLimitServerOptions(
            Path.of("unused"),
            "default",
            null,
            "127.0.0.1",
            0,
            Path.of(certificate.certificatePath()),
            Path.of(certificate.privateKeyPath()),
            LimiterSettings.DEFAULTS,
            1,
            Duration.ofMillis(100));
    server =
        RateLimitServer.start(vertx, options, new MemoryStore(), source, System::nanoTime)
            .await(10, TimeUnit.SECONDS);
    source.push(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 1}
            """));
  }

  @AfterEach
  void stop() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    certificate.delete();
  }

  @Test
  void answersOverH2WithTls() throws Exception {
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setProtocolVersion(HttpVersion.HTTP_2));
    try {
      RateLimitResponse response =
          client
              .request(
                  SocketAddress.inetSocketAddress(server.grpcPort(), "127.0.0.1"), RlsClient.METHOD)
              .compose(call -> call.send(request("edge", descriptor("user", "alice"))))
              .compose(GrpcClientResponse::last)
              .await(10, TimeUnit.SECONDS);
      assertThat(response.getOverallCode()).isEqualTo(RateLimitResponse.Code.OK);
      assertThat(response.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(1);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void plainTextIsRefusedWhenTlsIsOn() {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  RateLimitServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .shouldRateLimit(request("edge", descriptor("user", "alice"))))
          .isInstanceOf(io.grpc.StatusRuntimeException.class);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void frameThatIsNotARateLimitRequestIsInvalidArgument() throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setProtocolVersion(HttpVersion.HTTP_2));
    Buffer garbage =
        Buffer.buffer().appendByte((byte) 0).appendInt(4).appendBytes(new byte[] {-1, -1, -1, -1});
    String[] status = new String[1];
    try {
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setHost("127.0.0.1")
                  .setPort(server.grpcPort())
                  .setURI("/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
                  .putHeader("content-type", "application/grpc")
                  .putHeader("te", "trailers"))
          .compose(request -> request.send(garbage))
          .compose(
              (HttpClientResponse response) ->
                  response
                      .body()
                      .map(
                          body -> {
                            String trailer = response.trailers().get("grpc-status");
                            status[0] =
                                trailer != null ? trailer : response.headers().get("grpc-status");
                            return body;
                          }))
          .await(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
    assertThat(status[0]).isEqualTo("3"); // INVALID_ARGUMENT
  }
}
