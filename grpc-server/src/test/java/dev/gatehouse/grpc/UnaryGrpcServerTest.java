package dev.gatehouse.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unary server against real clients over loopback: grpc-java's own transport (what most
 * Envoy-ecosystem tools speak), Vert.x's gRPC client over TLS with ALPN, and Vert.x's HTTP/2 client
 * for requests no gRPC client would send.
 */
class UnaryGrpcServerTest {
  private static final String PATH = "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit";

  private Vertx vertx;
  private UnaryGrpcServer server;
  private ManagedChannel channel;
  // Where each handler ran: thread name -> whether it was on a Vert.x event-loop context.
  private final Map<String, Boolean> handlerThreads = new ConcurrentHashMap<>();
  private final Set<String> dropped = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Answers with the request's domain in a header; some domains ask for failures or delays: "fail"
   * a GrpcFailure, "throw" an exception, "slow" an answer after 500 ms, "late" one after 0-20 ms.
   */
  private Future<RateLimitResponse> handle(RateLimitRequest request) {
    Context context = Vertx.currentContext();
    handlerThreads.put(
        Thread.currentThread().getName(), context != null && context.isEventLoopContext());
    RateLimitResponse answer =
        RateLimitResponse.newBuilder()
            .setOverallCode(RateLimitResponse.Code.OK)
            .addResponseHeadersToAdd(
                HeaderValue.newBuilder().setKey("domain").setValue(request.getDomain()))
            .build();
    String domain = request.getDomain();
    if (domain.equals("fail")) {
      return Future.failedFuture(new GrpcFailure(Status.Code.UNAVAILABLE, "store down: café 100%"));
    }
    if (domain.equals("throw")) {
      throw new IllegalStateException("secret detail");
    }
    if (domain.equals("slow") || domain.startsWith("late")) {
      Promise<RateLimitResponse> later = Promise.promise();
      long delay = domain.equals("slow") ? 500 : 1 + ThreadLocalRandom.current().nextInt(20);
      vertx.setTimer(
          delay,
          t -> {
            later.complete(answer);
            dropped.add(domain);
          });
      return later.future();
    }
    return Future.succeededFuture(answer);
  }

  private void serve(int eventLoops, PemKeyCertOptions tls) {
    server =
        UnaryGrpcServer.listen(
                vertx,
                new UnaryGrpcServer.Options("127.0.0.1", 0, eventLoops, tls),
                List.of(
                    UnaryGrpcServer.method(
                        RateLimitServiceGrpc.getShouldRateLimitMethod(), this::handle)))
            .await();
  }

  private ManagedChannel channel() {
    return ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private RateLimitServiceGrpc.RateLimitServiceBlockingStub stub() {
    if (channel == null) {
      channel = channel();
    }
    return RateLimitServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static RateLimitRequest request(String domain) {
    return RateLimitRequest.newBuilder().setDomain(domain).build();
  }

  private static String domainOf(RateLimitResponse response) {
    return response.getResponseHeadersToAdd(0).getValue();
  }

  @Test
  void grpcJavaCallIsAnsweredOnAVertxEventLoop() {
    serve(1, null);

    RateLimitResponse response = stub().shouldRateLimit(request("edge"));

    assertThat(domainOf(response)).isEqualTo("edge");
    assertThat(handlerThreads).hasSize(1).containsValue(true);
    assertThat(handlerThreads.keySet().iterator().next()).contains("eventloop");
  }

  @Test
  void manyCallsAtOnceEachGetTheirOwnAnswer() throws Exception {
    serve(1, null);
    channel = channel();
    var async = RateLimitServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    int calls = 2_000;
    CountDownLatch answered = new CountDownLatch(calls);
    Map<String, String> answers = new ConcurrentHashMap<>();
    for (int i = 0; i < calls; i++) {
      String domain = "late-" + i;
      async.shouldRateLimit(
          request(domain),
          new StreamObserver<>() {
            @Override
            public void onNext(RateLimitResponse value) {
              answers.put(domain, domainOf(value));
            }

            @Override
            public void onError(Throwable t) {
              answers.put(domain, t.toString());
              answered.countDown();
            }

            @Override
            public void onCompleted() {
              answered.countDown();
            }
          });
    }

    assertThat(answered.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(answers).hasSize(calls);
    answers.forEach((sent, got) -> assertThat(got).isEqualTo(sent));
  }

  @Test
  void requestSpreadOverManyDataFramesIsReadWhole() {
    serve(1, null);
    String big = "x".repeat(200_000); // grpc-java sends it in DATA frames of at most 16 KiB

    assertThat(domainOf(stub().shouldRateLimit(request(big)))).isEqualTo(big);
  }

  @Test
  void requestOverFourMebibytesIsResourceExhausted() {
    serve(1, null);

    assertThatThrownBy(() -> stub().shouldRateLimit(request("x".repeat(5 * 1024 * 1024))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    // The connection goes on serving.
    assertThat(domainOf(stub().shouldRateLimit(request("after")))).isEqualTo("after");
  }

  @Test
  void grpcFailureKeepsItsStatusAndMessage() {
    serve(1, null);

    assertThatThrownBy(() -> stub().shouldRateLimit(request("fail")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              // Non-ASCII and '%' travel percent-encoded, and come out as sent.
              assertThat(e.getStatus().getDescription()).isEqualTo("store down: café 100%");
            });
  }

  @Test
  void otherFailureIsInternalWithoutItsDetail() {
    serve(1, null);

    assertThatThrownBy(() -> stub().shouldRateLimit(request("throw")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
            });
  }

  @Test
  void unknownMethodIsUnimplemented() {
    serve(1, null);
    channel = channel();
    var other =
        io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS);

    assertThatThrownBy(
            () ->
                other.check(io.envoyproxy.envoy.service.auth.v3.CheckRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void compressedRequestIsUnimplementedNamingWhatIsAccepted() {
    serve(1, null);

    assertThatThrownBy(() -> stub().withCompression("gzip").shouldRateLimit(request("edge")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(
                      e.getTrailers()
                          .get(
                              io.grpc.Metadata.Key.of(
                                  "grpc-accept-encoding",
                                  io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
                  .isEqualTo("identity");
            });
  }

  @Test
  void requestEndedByTrailersIsReadWhole() throws Exception {
    serve(1, null);
    byte[] message = request("with-trailers").toByteArray();
    ByteBuf body = Unpooled.buffer().writeByte(0).writeInt(message.length).writeBytes(message);

    RawAnswer answer =
        rawCall(
            grpcHeaders(PATH, "application/grpc"), body, new DefaultHttp2Headers().add("x", "y"));

    assertThat(answer.headers).containsEntry("grpc-status", "0");
    assertThat(RateLimitResponse.parseFrom(answer.message).getResponseHeadersToAdd(0).getValue())
        .isEqualTo("with-trailers");
  }

  @Test
  void answerGivenBeforeTheClientEndsItsStreamIsFollowedByANoErrorReset() throws Exception {
    serve(1, null);

    RawAnswer answer =
        rawCall(grpcHeaders("/no.such.Service/Method", "application/grpc"), null, null);

    assertThat(answer.headers).containsEntry("grpc-status", "12"); // UNIMPLEMENTED
    assertThat(answer.reset).isEqualTo(0L); // RST_STREAM NO_ERROR: stop sending
  }

  @Test
  void grpcWebAndOtherLookalikeContentTypesAreHttp415() throws Exception {
    serve(1, null);

    assertThat(post("application/grpc-web", Buffer.buffer("{}"))).containsEntry(":status", "415");
    assertThat(post("application/grpcx", Buffer.buffer("{}"))).containsEntry(":status", "415");
    assertThat(UnaryGrpcServer.isGrpc("application/grpc")).isTrue();
    assertThat(UnaryGrpcServer.isGrpc("application/grpc+proto")).isTrue();
    assertThat(UnaryGrpcServer.isGrpc("Application/GRPC; charset=utf-8")).isTrue();
    assertThat(UnaryGrpcServer.isGrpc("application/grpc-web+proto")).isFalse();
    assertThat(UnaryGrpcServer.isGrpc(null)).isFalse();
  }

  @Test
  void connectionThisProcessOpenedIsServedOnTheLoopThatOpenedIt() throws Exception {
    serve(4, null); // all four of the Vert.x instance's loops
    io.netty.channel.EventLoop caller =
        ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup().next();
    String callerThread = caller.submit(() -> Thread.currentThread().getName()).get();
    byte[] message = request("local").toByteArray();

    // Three connections from one loop: taken in turn, at most one would land on that loop.
    for (int i = 0; i < 3; i++) {
      ByteBuf body = Unpooled.buffer().writeByte(0).writeInt(message.length).writeBytes(message);
      RawAnswer answer =
          rawCall(caller, grpcHeaders(PATH, "application/grpc"), body, new DefaultHttp2Headers());
      assertThat(answer.headers).containsEntry("grpc-status", "0");
    }

    assertThat(handlerThreads.keySet()).containsExactly(callerThread);
  }

  private static Http2Headers grpcHeaders(String path, String contentType) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .authority("localhost")
        .path(path)
        .add("content-type", contentType)
        .add("te", "trailers");
  }

  /** What a raw HTTP/2 call got back: its headers and trailers, its message, any reset's code. */
  private static final class RawAnswer {
    final Map<String, String> headers = new ConcurrentHashMap<>();
    volatile byte[] message;
    volatile Long reset;
    final CountDownLatch ended = new CountDownLatch(1);
  }

  /**
   * One call on a stream of Netty's HTTP/2 client: the headers, then the body (when given) without
   * ending the stream, then the trailers (when given) ending it. Frames no gRPC library sends.
   */
  private RawAnswer rawCall(Http2Headers headers, ByteBuf body, Http2Headers trailers)
      throws Exception {
    return rawCall(null, headers, body, trailers);
  }

  /**
   * The same from {@code loop} (a Vert.x event loop) when given, on a socket bound first and
   * recorded in {@link LocalCallers}, as edge-proxy does with a loopback service.
   */
  private RawAnswer rawCall(
      io.netty.channel.EventLoop loop, Http2Headers headers, ByteBuf body, Http2Headers trailers)
      throws Exception {
    RawAnswer answer = new RawAnswer();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    java.net.InetSocketAddress local = null;
    try {
      Bootstrap bootstrap =
          new Bootstrap()
              .group(loop != null ? loop : group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(
                              Http2FrameCodecBuilder.forClient().build(),
                              new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                  });
      Channel connection;
      if (loop == null) {
        connection = bootstrap.connect("127.0.0.1", server.port()).sync().channel();
      } else {
        connection = bootstrap.bind("127.0.0.1", 0).sync().channel();
        local = (java.net.InetSocketAddress) connection.localAddress();
        LocalCallers.register(local, loop);
        connection.connect(new java.net.InetSocketAddress("127.0.0.1", server.port())).sync();
      }
      Channel stream =
          new Http2StreamChannelBootstrap(connection)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    private final ByteBuf data = Unpooled.buffer();

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object frame) {
                      if (frame instanceof Http2HeadersFrame h) {
                        h.headers()
                            .forEach(
                                e ->
                                    answer.headers.put(
                                        e.getKey().toString(), e.getValue().toString()));
                        if (h.isEndStream()) {
                          finish();
                        }
                      } else if (frame instanceof Http2DataFrame d) {
                        data.writeBytes(d.content());
                        d.release();
                        if (d.isEndStream()) {
                          finish();
                        }
                      } else if (frame instanceof Http2ResetFrame r) {
                        answer.reset = r.errorCode();
                        answer.ended.countDown();
                      }
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                      if (event instanceof Http2ResetFrame r) { // how the multiplexer passes resets
                        answer.reset = r.errorCode();
                      }
                    }

                    private void finish() {
                      if (data.readableBytes() >= 5) {
                        data.skipBytes(5);
                        answer.message = ByteBufUtil.getBytes(data);
                      }
                    }
                  })
              .open()
              .sync()
              .getNow();
      stream.write(new DefaultHttp2HeadersFrame(headers, false));
      if (body != null) {
        stream.write(new DefaultHttp2DataFrame(body, false));
      }
      if (trailers != null) {
        stream.write(new DefaultHttp2HeadersFrame(trailers, true));
      }
      stream.flush();
      // The stream ends with the answer's trailers, or with a reset after them.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(
              () ->
                  answer.headers.containsKey("grpc-status")
                      && (trailers != null || answer.reset != null));
      connection.close().sync();
    } finally {
      if (local != null) {
        LocalCallers.forget(local);
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    return answer;
  }

  @Test
  void callGivenUpByTheClientIsDroppedAndTheConnectionServesOn() throws Exception {
    serve(1, null);

    assertThatThrownBy(
            () ->
                RateLimitServiceGrpc.newBlockingStub(
                        channel == null ? channel = channel() : channel)
                    .withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                    .shouldRateLimit(request("slow")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    // The handler's answer comes after the reset; it must go nowhere, harmlessly.
    org.awaitility.Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> dropped.contains("slow"));
    assertThat(domainOf(stub().shouldRateLimit(request("next")))).isEqualTo("next");
  }

  @Test
  void connectionsAreSpreadOverTheChosenEventLoops() throws Exception {
    serve(2, null);
    List<ManagedChannel> channels = List.of(channel(), channel(), channel(), channel());
    try {
      for (ManagedChannel each : channels) {
        RateLimitServiceGrpc.newBlockingStub(each)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .shouldRateLimit(request("edge"));
      }
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
    }
    // Four connections over the two loops asked for: two threads, never a third of the four.
    assertThat(handlerThreads).hasSize(2).doesNotContainValue(false);
  }

  @Test
  void answersOverTlsWithAlpnH2() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    serve(
        1,
        new PemKeyCertOptions()
            .setCertPath(certificate.certificatePath())
            .setKeyPath(certificate.privateKeyPath()));
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setProtocolVersion(HttpVersion.HTTP_2));
    ServiceMethod<RateLimitResponse, RateLimitRequest> method =
        ServiceMethod.client(
            ServiceName.create("envoy.service.ratelimit.v3.RateLimitService"),
            "ShouldRateLimit",
            GrpcMessageEncoder.encoder(),
            GrpcMessageDecoder.decoder(RateLimitResponse.newBuilder()));
    try {
      RateLimitResponse response =
          client
              .request(SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"), method)
              .compose(call -> call.send(request("tls")))
              .compose(GrpcClientResponse::last)
              .await(10, TimeUnit.SECONDS);
      assertThat(domainOf(response)).isEqualTo("tls");
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
      certificate.delete();
    }
    // Cleartext h2 to the TLS port gets no answer.
    assertThatThrownBy(() -> stub().shouldRateLimit(request("plain")))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void messageThatDoesNotParseIsInvalidArgumentNamingTheType() throws Exception {
    serve(1, null);
    Buffer garbage =
        Buffer.buffer().appendByte((byte) 0).appendInt(4).appendBytes(new byte[] {-1, -1, -1, -1});

    Map<String, String> answer = post("application/grpc", garbage);

    assertThat(answer).containsEntry(":status", "200").containsEntry("grpc-status", "3");
    assertThat(answer.get("grpc-message"))
        .isEqualTo("request: unreadable (expected: envoy.service.ratelimit.v3.RateLimitRequest)");
  }

  @Test
  void contentTypeOtherThanGrpcIsHttp415() throws Exception {
    serve(1, null);

    Map<String, String> answer = post("application/json", Buffer.buffer("{}"));

    assertThat(answer).containsEntry(":status", "415");
  }

  @Test
  void closedServerRefusesConnections() throws Exception {
    serve(1, null);
    int port = server.port();
    assertThat(domainOf(stub().shouldRateLimit(request("edge")))).isEqualTo("edge");

    server.close().await(10, TimeUnit.SECONDS);
    server = null;

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  /** POSTs {@code body} over h2c; gives the answer's status and its gRPC status and message. */
  private Map<String, String> post(String contentType, Buffer body) throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    Map<String, String> answer = new ConcurrentHashMap<>();
    try {
      client
          .request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setHost("127.0.0.1")
                  .setPort(server.port())
                  .setURI(PATH)
                  .putHeader("content-type", contentType)
                  .putHeader("te", "trailers"))
          .compose(request -> request.send(body))
          .compose(
              (HttpClientResponse response) ->
                  response
                      .body()
                      .onSuccess(
                          b -> {
                            answer.put(":status", String.valueOf(response.statusCode()));
                            for (String name : List.of("grpc-status", "grpc-message")) {
                              String value = response.trailers().get(name);
                              value = value != null ? value : response.headers().get(name);
                              if (value != null) {
                                answer.put(name, value);
                              }
                            }
                          }))
          .await(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
    return answer;
  }
}
