package dev.gatehouse.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import dev.gatehouse.grpc.GrpcFailure;
import dev.gatehouse.grpc.UnaryGrpcServer;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.RateLimit;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the version choice of the root pom: the service's gRPC server ({@link UnaryGrpcServer}),
 * Vert.x 5.0.7's gRPC client, protobuf-java 4.29.3 at run time, and the Envoy RLS v3 classes of
 * io.envoyproxy.controlplane:api 1.0.49 (generated for protobuf 3.25) talk to each other, and to
 * grpc-java 1.70.0's own client, over a real h2c connection on loopback.
 */
class GrpcCompatibilityIT {

  private static final ServiceName RLS = ServiceName.create(RateLimitServiceGrpc.SERVICE_NAME);
  private static final String SHOULD_RATE_LIMIT =
      RateLimitServiceGrpc.getShouldRateLimitMethod().getBareMethodName();

  private static final ServiceMethod<RateLimitResponse, RateLimitRequest> CLIENT_METHOD =
      ServiceMethod.client(
          RLS,
          SHOULD_RATE_LIMIT,
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(RateLimitResponse.newBuilder()));

  private static Vertx vertx;
  private static UnaryGrpcServer server;
  private static final List<RateLimitRequest> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startRateLimitServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        UnaryGrpcServer.listen(
                vertx,
                new UnaryGrpcServer.Options("127.0.0.1", 0, 1, null),
                List.of(
                    UnaryGrpcServer.method(
                        RateLimitServiceGrpc.getShouldRateLimitMethod(),
                        request -> {
                          received.add(request);
                          return request.getDomain().isEmpty()
                              ? Future.failedFuture(
                                  new GrpcFailure(
                                      Status.Code.INVALID_ARGUMENT,
                                      "domain: '' (expected: not empty)"))
                              : Future.succeededFuture(echoStatuses(request));
                        })))
            .await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopRateLimitServer() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void forgetReceived() {
    received.clear();
  }

  @Test
  void generatedServiceDescriptorNamesTheMethodVertxCalls() {
    assertThat(CLIENT_METHOD.fullMethodName())
        .isEqualTo("envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
        .isEqualTo(RateLimitServiceGrpc.getShouldRateLimitMethod().getFullMethodName());
  }

  @Test
  void vertxClientAndOurServerRoundTripTheEnvoyRateLimitMessages() throws Exception {
    RateLimitRequest request = twoDescriptorRequest();
    GrpcClient client = GrpcClient.client(vertx);
    try {
      RateLimitResponse response =
          client
              .request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), CLIENT_METHOD)
              .compose(call -> call.send(request))
              .compose(GrpcClientResponse::last)
              .await(10, TimeUnit.SECONDS);

      assertThat(received).containsExactly(request);
      assertThat(response).isEqualTo(expectedResponse());
      assertRoundTripped(response);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcJavaClientGetsTheSameAnswerFromOurServer() {
    RateLimitRequest request = twoDescriptorRequest();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      RateLimitResponse response =
          RateLimitServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .shouldRateLimit(request);

      assertThat(received).containsExactly(request);
      assertThat(response).isEqualTo(expectedResponse());
      assertRoundTripped(response);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void grpcStatusAndMessageReachBothClients() throws Exception {
    RateLimitRequest invalid = RateLimitRequest.newBuilder().setHitsAddend(1).build();

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      assertThatThrownBy(
              () ->
                  RateLimitServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .shouldRateLimit(invalid))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("domain: '' (expected: not empty)");
              });
    } finally {
      channel.shutdownNow();
    }

    GrpcClient client = GrpcClient.client(vertx);
    try {
      GrpcClientResponse<RateLimitRequest, RateLimitResponse> response =
          client
              .request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), CLIENT_METHOD)
              .compose(call -> call.send(invalid))
              .await(10, TimeUnit.SECONDS);
      Future<Void> ended = response.end().otherwise((Void) null);
      ended.await(10, TimeUnit.SECONDS);

      assertThat(response.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(response.statusMessage()).isEqualTo("domain: '' (expected: not empty)");
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static RateLimitRequest twoDescriptorRequest() {
    return RateLimitRequest.newBuilder()
        .setDomain("edge")
        .addDescriptors(
            RateLimitDescriptor.newBuilder()
                .addEntries(entry("generic_key", "checkout"))
                .addEntries(entry("remote_address", "10.0.0.7"))
                .setHitsAddend(UInt64Value.of(3)))
        .addDescriptors(
            RateLimitDescriptor.newBuilder()
                .addEntries(entry("header_match", "api-key"))
                .addEntries(entry("path", "/orders"))
                .addEntries(entry("method", "POST"))
                .setHitsAddend(UInt64Value.of(5)))
        .setHitsAddend(2)
        .build();
  }

  private static RateLimitDescriptor.Entry entry(String key, String value) {
    return RateLimitDescriptor.Entry.newBuilder().setKey(key).setValue(value).build();
  }

  /**
   * What the test server answers: one status per descriptor, built from it, so a field lost or
   * mangled on either way shows up in the response.
   */
  private static RateLimitResponse echoStatuses(RateLimitRequest request) {
    RateLimitResponse.Builder response =
        RateLimitResponse.newBuilder()
            .setOverallCode(Code.OK)
            .addResponseHeadersToAdd(
                HeaderValue.newBuilder().setKey("x-ratelimit-domain").setValue(request.getDomain()))
            .setDynamicMetadata(
                Struct.newBuilder()
                    .putFields(
                        "hits_addend",
                        Value.newBuilder().setNumberValue(request.getHitsAddend()).build()));
    for (RateLimitDescriptor descriptor : request.getDescriptorsList()) {
      String name =
          request.getDomain()
              + ":"
              + descriptor.getEntriesList().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(","));
      response.addStatuses(
          DescriptorStatus.newBuilder()
              .setCode(Code.OK)
              .setCurrentLimit(
                  RateLimit.newBuilder()
                      .setName(name)
                      .setRequestsPerUnit(descriptor.getEntriesCount())
                      .setUnit(RateLimit.Unit.MINUTE))
              .setLimitRemaining((int) descriptor.getHitsAddend().getValue()));
    }
    return response.build();
  }

  /** The response for {@link #twoDescriptorRequest()}, written out by hand. */
  private static RateLimitResponse expectedResponse() {
    return RateLimitResponse.newBuilder()
        .setOverallCode(Code.OK)
        .addStatuses(
            DescriptorStatus.newBuilder()
                .setCode(Code.OK)
                .setCurrentLimit(
                    RateLimit.newBuilder()
                        .setName("edge:generic_key=checkout,remote_address=10.0.0.7")
                        .setRequestsPerUnit(2)
                        .setUnit(RateLimit.Unit.MINUTE))
                .setLimitRemaining(3))
        .addStatuses(
            DescriptorStatus.newBuilder()
                .setCode(Code.OK)
                .setCurrentLimit(
                    RateLimit.newBuilder()
                        .setName("edge:header_match=api-key,path=/orders,method=POST")
                        .setRequestsPerUnit(3)
                        .setUnit(RateLimit.Unit.MINUTE))
                .setLimitRemaining(5))
        .addResponseHeadersToAdd(
            HeaderValue.newBuilder().setKey("x-ratelimit-domain").setValue("edge"))
        .setDynamicMetadata(
            Struct.newBuilder()
                .putFields("hits_addend", Value.newBuilder().setNumberValue(2).build()))
        .build();
  }

  /** Field by field, so a failure names the field rather than dumping two messages. */
  private static void assertRoundTripped(RateLimitResponse response) {
    assertThat(response.getOverallCode()).isEqualTo(Code.OK);
    assertThat(response.getStatusesCount()).isEqualTo(2);
    assertThat(response.getStatuses(0).getCurrentLimit().getName())
        .isEqualTo("edge:generic_key=checkout,remote_address=10.0.0.7");
    assertThat(response.getStatuses(0).getCurrentLimit().getRequestsPerUnit()).isEqualTo(2);
    assertThat(response.getStatuses(0).getCurrentLimit().getUnit())
        .isEqualTo(RateLimit.Unit.MINUTE);
    assertThat(response.getStatuses(0).getLimitRemaining()).isEqualTo(3);
    assertThat(response.getStatuses(1).getCurrentLimit().getName())
        .isEqualTo("edge:header_match=api-key,path=/orders,method=POST");
    assertThat(response.getStatuses(1).getCurrentLimit().getRequestsPerUnit()).isEqualTo(3);
    assertThat(response.getStatuses(1).getLimitRemaining()).isEqualTo(5);
    assertThat(response.getResponseHeadersToAdd(0).getValue()).isEqualTo("edge");
    assertThat(response.getDynamicMetadata().getFieldsOrThrow("hits_addend").getNumberValue())
        .isEqualTo(2.0);
  }
}
