package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.ratelimit.RateLimitServer;
import dev.gatehouse.ratelimit.RateLimitServerOptions;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gRPC through the edge: h2c to the edge, h2 to the upstream, messages and trailers relayed. */
class GrpcProxyIT {
  private static final ServiceMethod<RateLimitResponse, RateLimitRequest> METHOD =
      ServiceMethod.client(
          ServiceName.create("envoy.service.ratelimit.v3.RateLimitService"),
          "ShouldRateLimit",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(RateLimitResponse.newBuilder()));

  @TempDir Path edgeDir;
  @TempDir Path limitsDir;
  private final Vertx vertx = Vertx.vertx();
  private RateLimitServer limits;
  private EdgeStack stack;

  @AfterEach
  void stop() throws Exception {
    stack.close();
    limits.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aUnaryCallAndItsStatusTrailersPassThroughTheEdge() throws Exception {
    Files.writeString(
        limitsDir.resolve("limits.yaml"),
        "domain: grpc-test\ndescriptors:\n  - key: user\n    rate_limit: {unit: hour, requests_per_unit: 1}\n");
    limits =
        RateLimitServer.start(
                vertx,
                new RateLimitServerOptions(
                    limitsDir,
                    "default",
                    null,
                    "127.0.0.1",
                    0,
                    null,
                    null,
                    RateLimitServerOptions.defaults(limitsDir).limiter(),
                    1,
                    Duration.ofMillis(50)))
            .await(20, TimeUnit.SECONDS);
    stack = new EdgeStack(edgeDir);
    stack.write(
        "grpc.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: rls}
        spec:
          prefix: /envoy.service.ratelimit.v3.RateLimitService/
          rewrite: /envoy.service.ratelimit.v3.RateLimitService/
          service: 127.0.0.1:%d
          grpc: true
        """
            .formatted(limits.grpcPort()));
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    RateLimitRequest request =
        RateLimitRequest.newBuilder()
            .setDomain("grpc-test")
            .addDescriptors(
                RateLimitDescriptor.newBuilder()
                    .addEntries(
                        RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue("alice")))
            .build();
    SocketAddress edge = SocketAddress.inetSocketAddress(stack.httpPort, "127.0.0.1");

    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .request(edge, METHOD)
                        .compose(call -> call.send(request))
                        .compose(r -> r.end().map(v -> r.status()))
                        .await(5, TimeUnit.SECONDS)
                    == GrpcStatus.OK);

    GrpcClientResponse<RateLimitRequest, RateLimitResponse> second =
        client
            .request(edge, METHOD)
            .compose(call -> call.send(request))
            .await(10, TimeUnit.SECONDS);
    RateLimitResponse answer = second.last().await(10, TimeUnit.SECONDS);

    assertThat(answer.getOverallCode()).isEqualTo(RateLimitResponse.Code.OVER_LIMIT);
    assertThat(second.status()).isEqualTo(GrpcStatus.OK);
    client.close();
  }
}
