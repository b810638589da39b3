package dev.gatehouse.ratelimit;

import static dev.gatehouse.ratelimit.Rls.descriptor;
import static dev.gatehouse.ratelimit.Rls.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** grpc-java's own client, the stack of most Envoy-ecosystem tools, gets the same answers. */
class GrpcJavaClientIT extends ServiceHarness {

  @Override
  protected Store store() {
    return Store.MEMORY;
  }

  @Test
  void grpcJavaClientIsAnsweredOverH2c() {
    serve(
        Configs.envoy(
            """
            domain: edge
            descriptors:
              - key: user
                rate_limit: {unit: hour, requests_per_unit: 1}
            """));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      var stub = RateLimitServiceGrpc.newBlockingStub(channel);
      var request = request("edge", descriptor("user", "alice"));
      assertThat(
              stub.withDeadlineAfter(5, TimeUnit.SECONDS).shouldRateLimit(request).getOverallCode())
          .isEqualTo(Code.OK);
      assertThat(
              stub.withDeadlineAfter(5, TimeUnit.SECONDS).shouldRateLimit(request).getOverallCode())
          .isEqualTo(Code.OVER_LIMIT);
    } finally {
      channel.shutdownNow();
    }
  }
}
