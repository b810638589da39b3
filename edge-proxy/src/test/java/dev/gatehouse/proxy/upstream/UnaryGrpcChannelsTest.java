package dev.gatehouse.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The h2c unary client against a real Vert.x gRPC server on loopback: answers, gRPC errors,
 * deadlines, a server gone, and many calls at once past the server's stream limit.
 */
class UnaryGrpcChannelsTest {
  private static final String SERVICE = "envoy.service.ratelimit.v3.RateLimitService";
  private static final GrpcMethod<RateLimitRequest, RateLimitResponse> METHOD =
      GrpcMethod.of(SERVICE, "ShouldRateLimit", RateLimitResponse.getDefaultInstance());
  private static final ServiceMethod<RateLimitRequest, RateLimitResponse> SERVED =
      ServiceMethod.server(
          ServiceName.create(SERVICE),
          "ShouldRateLimit",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(RateLimitRequest.newBuilder()));

  private Vertx vertx;
  private HttpServer server;
  private UnaryGrpcChannels channels;
  private Context loop;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    server = startServer(0);
    channels = new UnaryGrpcChannels((VertxInternal) vertx, "ratelimit", Duration.ofSeconds(1));
    loop = ((VertxInternal) vertx).createEventLoopContext();
  }

  @AfterEach
  void stop() {
    channels.close();
    vertx.close().await();
  }

  @Test
  void aCallGetsItsAnswer() {
    RateLimitResponse answer = call("acme", 7, 1000);
    assertThat(answer.getOverallCode()).isEqualTo(RateLimitResponse.Code.OVER_LIMIT);
    assertThat(answer.getStatuses(0).getLimitRemaining()).isEqualTo(7);
    assertThat(call("acme", 8, 1000).getStatuses(0).getLimitRemaining()).isEqualTo(8);
    assertThat(channels.connections()).isEqualTo(1);
  }

  @Test
  void manyCallsAtOncePastTheServersStreamLimitAllGetTheirOwnAnswer() {
    List<Future<RateLimitResponse>> answers = new ArrayList<>();
    Promise<Void> sent = Promise.promise();
    loop.runOnContext(
        v -> {
          for (int i = 0; i < 200; i++) {
            answers.add(callOnLoop("acme", i, 5000));
          }
          sent.complete();
        });
    sent.future().await();
    for (int i = 0; i < 200; i++) {
      assertThat(answers.get(i).await().getStatuses(0).getLimitRemaining()).isEqualTo(i);
    }
    assertThat(channels.connections()).isEqualTo(1);
  }

  @Test
  void aGrpcErrorFailsTheCallWithItsStatus() {
    assertThatThrownBy(() -> call("denied", 1, 1000))
        .isInstanceOf(UnaryGrpcChannels.CallFailed.class)
        .hasMessageContaining("gRPC status 7")
        .satisfies(e -> assertThat(((UnaryGrpcChannels.CallFailed) e).grpcStatus).isEqualTo(7));
  }

  @Test
  void aCallPastItsDeadlineFailsAndTheConnectionServesTheNext() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> call("slow", 1, 100))
        .isInstanceOf(UnaryGrpcChannels.CallFailed.class)
        .hasMessageContaining("within 100 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
    assertThat(call("acme", 3, 1000).getStatuses(0).getLimitRemaining()).isEqualTo(3);
  }

  @Test
  void aServerThatIsGoneFailsTheCallsAndALaterServerIsReachedAgain() {
    assertThat(call("acme", 1, 1000).getStatuses(0).getLimitRemaining()).isEqualTo(1);
    int port = server.actualPort();
    server.close().await();
    // Nothing listens on the port now: the call fails at once (refused), it does not wait.
    assertThatThrownBy(() -> call("acme", 2, 1000))
        .isInstanceOf(UnaryGrpcChannels.CallFailed.class);
    assertThat(channels.connections()).isZero();

    server = startServer(port);
    assertThat(call("acme", 3, 1000).getStatuses(0).getLimitRemaining()).isEqualTo(3);
  }

  /**
   * With the service in this process (gatehouse run), each loop's connection is served on that
   * loop: a call never wakes the other thread.
   */
  @Test
  void aServiceInThisProcessAnswersOnTheCallingLoop() throws Exception {
    dev.gatehouse.grpc.UnaryGrpcServer local =
        dev.gatehouse.grpc.UnaryGrpcServer.listen(
                vertx,
                new dev.gatehouse.grpc.UnaryGrpcServer.Options("127.0.0.1", 0, 2, null),
                List.of(
                    dev.gatehouse.grpc.UnaryGrpcServer.method(
                        io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc
                            .getShouldRateLimitMethod(),
                        request ->
                            Future.succeededFuture(
                                RateLimitResponse.newBuilder()
                                    .addResponseHeadersToAdd(
                                        io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder()
                                            .setKey("thread")
                                            .setValue(Thread.currentThread().getName()))
                                    .build()))))
            .await(10, TimeUnit.SECONDS);
    try {
      for (io.netty.util.concurrent.EventExecutor executor :
          ((VertxInternal) vertx).nettyEventLoopGroup()) {
        io.netty.channel.EventLoop eventLoop = (io.netty.channel.EventLoop) executor;
        Context caller = ((VertxInternal) vertx).contextBuilder().withEventLoop(eventLoop).build();
        // Two connections per loop (one per host name): taken in turn, two of the four would
        // cross loops whatever the order.
        for (String host : List.of("127.0.0.1", "localhost")) {
          Promise<String> served = Promise.promise();
          caller.runOnContext(
              v ->
                  channels
                      .call(
                          (ContextInternal) Vertx.currentContext(),
                          new Endpoint(host, local.port(), 1),
                          METHOD,
                          RateLimitRequest.newBuilder().setDomain("local").build(),
                          1000)
                      .map(
                          answer ->
                              Thread.currentThread().getName()
                                  + " called, "
                                  + answer.getResponseHeadersToAdd(0).getValue()
                                  + " answered")
                      .onComplete(served));
          String outcome = served.future().await(5, TimeUnit.SECONDS);
          String thread = outcome.substring(0, outcome.indexOf(" called"));
          assertThat(outcome).isEqualTo(thread + " called, " + thread + " answered");
        }
      }
    } finally {
      local.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyLoopbackAddressesAreTakenForLoopback() {
    assertThat(UnaryGrpcChannels.loopback("127.0.0.1")).isNotNull();
    assertThat(UnaryGrpcChannels.loopback("127.0.0.2")).isNotNull();
    assertThat(UnaryGrpcChannels.loopback("::1")).isNotNull();
    assertThat(UnaryGrpcChannels.loopback("localhost")).isNotNull();
    assertThat(UnaryGrpcChannels.loopback("10.0.0.1")).isNull();
    assertThat(UnaryGrpcChannels.loopback("ratelimit.example")).isNull();
  }

  /** A gRPC server taking 4 streams at once, answering per the request's domain. */
  private HttpServer startServer(int port) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(
        SERVED,
        request ->
            request.handler(
                message -> {
                  switch (message.getDomain()) {
                    case "slow" -> {} // never answers
                    case "denied" -> request.response().status(GrpcStatus.PERMISSION_DENIED).end();
                    default ->
                        request
                            .response()
                            .end(
                                RateLimitResponse.newBuilder()
                                    .setOverallCode(RateLimitResponse.Code.OVER_LIMIT)
                                    .addStatuses(
                                        RateLimitResponse.DescriptorStatus.newBuilder()
                                            .setLimitRemaining(message.getHitsAddend()))
                                    .build());
                  }
                }));
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setInitialSettings(
                    new io.vertx.core.http.Http2Settings().setMaxConcurrentStreams(4)))
        .requestHandler(grpc)
        .listen(port, "127.0.0.1")
        .await();
  }

  private RateLimitResponse call(String domain, int hits, long timeoutMillis) {
    Promise<RateLimitResponse> answer = Promise.promise();
    loop.runOnContext(v -> callOnLoop(domain, hits, timeoutMillis).onComplete(answer));
    try {
      return answer.future().await(5, TimeUnit.SECONDS);
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome within 5 s", e);
    }
  }

  private Future<RateLimitResponse> callOnLoop(String domain, int hits, long timeoutMillis) {
    return channels.call(
        (ContextInternal) Vertx.currentContext(),
        new Endpoint("127.0.0.1", server.actualPort(), 1),
        METHOD,
        RateLimitRequest.newBuilder().setDomain(domain).setHitsAddend(hits).build(),
        timeoutMillis);
  }
}
