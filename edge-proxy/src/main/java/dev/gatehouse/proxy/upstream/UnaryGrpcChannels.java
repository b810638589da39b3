package dev.gatehouse.proxy.upstream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.gatehouse.grpc.LocalCallers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Unary gRPC calls over cleartext HTTP/2 (h2c), written on Netty's HTTP/2 codec: the ext_authz
 * Check and the ShouldRateLimit that edge-proxy's filters make on nearly every request.
 *
 * <p>Vert.x's gRPC client costs 40-95 us of CPU per call here (bench/README.md): an HTTP client
 * stream with its queues, a gRPC request and response object, a chain of futures. This client keeps
 * what a unary call needs: one HTTP/2 connection per event loop and endpoint, made on first use on
 * the caller's own event loop (a call never changes thread), a map from stream id to the call, and
 * the answer gathered from the DATA frames and parsed once. Netty's codec does the protocol: HPACK,
 * flow control, and the server's stream limit (calls past it wait in the encoder until a stream
 * closes). Writes are flushed once per event-loop turn, so the calls of one turn share a syscall.
 *
 * <p>Each call has a deadline (sent as {@code grpc-timeout}; past it the stream is reset and the
 * call fails). Any failure (connect, reset, GOAWAY, an HTTP status other than 200, a gRPC status
 * other than OK, an answer that does not parse, or larger than {@link #MAX_MESSAGE}) fails the call
 * with a {@link CallFailed}; the filters then apply their failure mode. Connections are not
 * retried: the next call opens a new one.
 */
final class UnaryGrpcChannels implements AutoCloseable {
  /** The largest answer read, gRPC's default receive limit. */
  static final int MAX_MESSAGE = 4 * 1024 * 1024;

  private static final AsciiString POST = AsciiString.cached("POST");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  private static final AsciiString TE = AsciiString.cached("te");
  private static final AsciiString TRAILERS = AsciiString.cached("trailers");
  private static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  private static final AsciiString USER_AGENT = AsciiString.cached("user-agent");
  private static final AsciiString GATEHOUSE = AsciiString.cached("gatehouse-edge-proxy");
  private static final AsciiString OK_STATUS = AsciiString.cached("200");

  /** Why a call failed; {@code grpcStatus} is the server's gRPC status, or -1 when none came. */
  static final class CallFailed extends RuntimeException {
    final int grpcStatus;

    CallFailed(String message, int grpcStatus) {
      super(message, null, false, false);
      this.grpcStatus = grpcStatus;
    }
  }

  private record Key(EventLoop loop, String host, int port) {}

  private final VertxInternal vertx;
  private final String cluster;
  private final int connectTimeoutMillis;
  private final Map<Key, Connection> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  UnaryGrpcChannels(VertxInternal vertx, String cluster, Duration connectTimeout) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
  }

  /**
   * Calls {@code method} on {@code endpoint}; to be called on an event-loop {@code context}, whose
   * thread runs the whole call and completes the future.
   *
   * @param timeoutMillis the call's deadline, none when 0 or less
   */
  <Q extends Message, R extends Message> Future<R> call(
      ContextInternal context,
      Endpoint endpoint,
      GrpcMethod<Q, R> method,
      Q request,
      long timeoutMillis) {
    PromiseInternal<R> promise = context.promise();
    if (closed) {
      promise.fail(new CallFailed("cluster " + cluster + " was replaced", -1));
      return promise.future();
    }
    Key key = new Key(context.nettyEventLoop(), endpoint.host(), endpoint.port());
    Connection connection = connections.get(key);
    if (connection == null || connection.retired) {
      if (connection != null) {
        connections.remove(key, connection);
      }
      connection = new Connection(key);
      connections.put(key, connection);
      connection.connect();
      if (closed) { // closed while this connection was made
        connection.close();
      }
    }
    Call<R> call = new Call<>(method, promise);
    connection.submit(call, request, timeoutMillis);
    return promise.future();
  }

  /**
   * The address of {@code host} when it is a loopback one (a literal, or {@code localhost}), else
   * null; no name is looked up.
   */
  static InetAddress loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return InetAddress.getLoopbackAddress();
    }
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal == null) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByAddress(literal);
      return address.isLoopbackAddress() ? address : null;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  /** Connections open now (for tests). */
  int connections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    connections.values().forEach(c -> c.loop().execute(c::close));
    connections.clear();
  }

  /** One call: where its answer goes, and what of it has arrived. Confined to its loop. */
  private static final class Call<R extends Message> {
    final GrpcMethod<?, R> method;
    final PromiseInternal<R> promise;
    ByteBuf frame;
    int streamId;
    ScheduledFuture<?> timer;
    ByteBuf received;
    boolean headers;
    boolean done;
    String timeout;
    int grpcStatus = -1;
    String grpcMessage = "";

    Call(GrpcMethod<?, R> method, PromiseInternal<R> promise) {
      this.method = method;
      this.promise = promise;
    }
  }

  /** One HTTP/2 connection, confined to its event loop. */
  private final class Connection extends Http2FrameAdapter {
    final Key key;
    final AsciiString authority;
    final Http2ConnectionHandler handler;
    final IntObjectHashMap<Call<?>> calls = new IntObjectHashMap<>();
    // Calls made while the connection is being made.
    final List<Call<?>> waiting = new ArrayList<>();
    Channel channel;
    ChannelHandlerContext ctx;
    boolean active;
    boolean flushPending;
    volatile boolean retired;

    Connection(Key key) {
      this.key = key;
      this.authority = new AsciiString(key.host() + ":" + key.port());
      Http2Connection connection = new DefaultHttp2Connection(false);
      connection.addListener(
          new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
              Call<?> call = calls.remove(stream.id());
              if (call != null) {
                fail(call, "the stream closed before the answer ended", -1);
              }
            }

            @Override
            public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
              // Streams above lastStreamId are closed by the codec (failing their calls); new
              // calls go to a new connection.
              retired = true;
            }
          });
      this.handler =
          new Http2ConnectionHandlerBuilder()
              .connection(connection)
              .frameListener(this)
              .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
              .encoderEnforceMaxConcurrentStreams(true)
              .validateHeaders(false)
              .build();
    }

    EventLoop loop() {
      return key.loop();
    }

    void connect() {
      Bootstrap bootstrap =
          new Bootstrap()
              .group(key.loop())
              .channelFactory(vertx.transport().channelFactory(false))
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
              .handler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(handler);
                    }
                  });
      InetAddress loopback = loopback(key.host());
      ChannelFuture connecting;
      if (loopback == null) {
        connecting = bootstrap.connect(key.host(), key.port());
      } else {
        // A loopback service may be in this very process (gatehouse run): the socket is bound
        // first, and its address recorded with this loop before connecting, so that the server
        // takes it on this loop and a call never crosses threads (LocalCallers).
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(loopback, 0));
        Channel opened = bound.channel();
        ChannelPromise connected = opened.newPromise();
        bound.addListener(
            (ChannelFutureListener)
                done -> {
                  if (!done.isSuccess()) {
                    connected.tryFailure(done.cause());
                    return;
                  }
                  InetSocketAddress local = (InetSocketAddress) opened.localAddress();
                  LocalCallers.register(local, key.loop());
                  opened.closeFuture().addListener(closed -> LocalCallers.forget(local));
                  opened
                      .connect(new InetSocketAddress(loopback, key.port()))
                      .addListener(
                          (ChannelFutureListener)
                              result -> {
                                if (result.isSuccess()) {
                                  connected.trySuccess();
                                } else {
                                  connected.tryFailure(result.cause());
                                }
                              });
                });
        connecting = connected;
      }
      channel = connecting.channel();
      connecting.addListener(
          (ChannelFutureListener)
              done -> {
                if (!done.isSuccess()) {
                  retire("cannot connect to " + authority + ": " + done.cause().getMessage());
                  channel.close();
                }
              });
      channel.closeFuture().addListener(closed -> retire("the connection closed"));
    }

    /**
     * Calls are written once the server's first SETTINGS have come: by then the codec has sent the
     * preface, and knows how many streams the server takes at once (the calls past that wait in the
     * encoder, instead of being refused).
     */
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (active) {
        return;
      }
      this.ctx = ctx; // the codec's own context
      active = true;
      List<Call<?>> ready = new ArrayList<>(waiting);
      waiting.clear();
      ready.forEach(this::start);
    }

    <R extends Message> void submit(Call<R> call, Message request, long timeoutMillis) {
      if (timeoutMillis > 0) {
        call.timer =
            key.loop()
                .schedule(
                    () ->
                        timedOut(
                            call,
                            "no answer from cluster "
                                + cluster
                                + " within "
                                + timeoutMillis
                                + " ms"),
                    timeoutMillis,
                    TimeUnit.MILLISECONDS);
      }
      int size = request.getSerializedSize();
      ByteBuf frame = channel.alloc().buffer(5 + size);
      frame.writeByte(0).writeInt(size);
      try (ByteBufOutputStream out = new ByteBufOutputStream(frame)) {
        request.writeTo(out);
      } catch (IOException e) {
        frame.release();
        fail(call, "cannot encode the request: " + e.getMessage(), -1);
        return;
      }
      call.frame = frame;
      if (timeoutMillis > 0) {
        call.timeout = Math.min(timeoutMillis, 99_999_999) + "m";
      }
      if (retired) {
        fail(call, "the connection to " + authority + " closed", -1);
      } else if (active) {
        start(call);
      } else {
        waiting.add(call);
      }
    }

    private void start(Call<?> call) {
      if (call.done) {
        return;
      }
      int id = handler.connection().local().incrementAndGetNextStreamId();
      if (id < 0) { // stream ids used up: this connection is done
        retired = true;
        fail(call, "the connection to " + authority + " ran out of stream ids", -1);
        return;
      }
      call.streamId = id;
      calls.put(id, call);
      Http2Headers headers =
          new DefaultHttp2Headers(false)
              .method(POST)
              .scheme(HTTP)
              .path(call.method.path())
              .authority(authority)
              .add(CONTENT_TYPE, APPLICATION_GRPC)
              .add(TE, TRAILERS)
              .add(USER_AGENT, GATEHOUSE);
      if (call.timeout != null) {
        headers.add(GRPC_TIMEOUT, call.timeout);
      }
      ChannelFutureListener onFailure =
          written -> {
            if (!written.isSuccess()) {
              calls.remove(id);
              fail(call, "cannot write to " + authority + ": " + written.cause().getMessage(), -1);
            }
          };
      handler
          .encoder()
          .writeHeaders(ctx, id, headers, 0, false, ctx.newPromise())
          .addListener(onFailure);
      ByteBuf frame = call.frame;
      call.frame = null;
      handler.encoder().writeData(ctx, id, frame, 0, true, ctx.newPromise()).addListener(onFailure);
      flushSoon();
    }

    /** One flush at the end of this event-loop turn, for every call written in it. */
    private void flushSoon() {
      if (!flushPending) {
        flushPending = true;
        key.loop()
            .execute(
                () -> {
                  flushPending = false;
                  // Through the codec (not ctx.flush(), which starts below it): its flow
                  // controller holds the DATA frames until then.
                  channel.flush();
                });
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      Call<?> call = calls.get(streamId);
      if (call == null) {
        return;
      }
      if (!call.headers) {
        call.headers = true;
        CharSequence status = headers.status();
        if (status == null || !OK_STATUS.contentEquals(status)) {
          reset(call, "HTTP status " + status + " from " + authority, -1);
          return;
        }
      }
      CharSequence grpcStatus = headers.get(GRPC_STATUS);
      if (grpcStatus != null) {
        try {
          call.grpcStatus = Integer.parseInt(grpcStatus.toString());
        } catch (NumberFormatException e) {
          call.grpcStatus = 2; // UNKNOWN
        }
        CharSequence message = headers.get(GRPC_MESSAGE);
        call.grpcMessage = message == null ? "" : message.toString();
      }
      if (endOfStream) {
        finish(call);
      }
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int processed = data.readableBytes() + padding;
      Call<?> call = calls.get(streamId);
      if (call == null) {
        return processed;
      }
      if (call.received == null) {
        call.received = ctx.alloc().buffer(Math.max(16, data.readableBytes()));
      }
      if (call.received.readableBytes() + data.readableBytes() > MAX_MESSAGE + 5) {
        reset(call, "the answer from " + authority + " is larger than " + MAX_MESSAGE, 8);
        return processed;
      }
      call.received.writeBytes(data);
      if (endOfStream) {
        finish(call);
      }
      return processed;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Call<?> call = calls.remove(streamId);
      if (call != null) {
        fail(
            call,
            "the stream was reset by " + authority + " (" + Http2Error.valueOf(errorCode) + ")",
            -1);
      }
    }

    private <R extends Message> void finish(Call<R> call) {
      calls.remove(call.streamId);
      if (call.grpcStatus != 0) {
        fail(
            call,
            call.grpcStatus < 0
                ? "the answer from " + authority + " has no grpc-status"
                : "gRPC status " + call.grpcStatus + " from " + authority + ": " + call.grpcMessage,
            call.grpcStatus);
        return;
      }
      ByteBuf body = call.received;
      call.received = null;
      R answer;
      try {
        answer = parse(call, body);
      } catch (CallFailed e) {
        fail(call, e.getMessage(), -1);
        return;
      } finally {
        if (body != null) {
          body.release();
        }
      }
      if (!call.done) {
        call.done = true;
        cancelTimer(call);
        call.promise.complete(answer);
      }
    }

    private <R extends Message> R parse(Call<R> call, ByteBuf body) {
      if (body == null || body.readableBytes() < 5) {
        throw new CallFailed("no message in the answer from " + authority, -1);
      }
      if (body.readByte() != 0) {
        throw new CallFailed("a compressed answer from " + authority + " (none was asked)", -1);
      }
      int length = body.readInt();
      if (length != body.readableBytes()) {
        throw new CallFailed("an answer from " + authority + " of other than one message", -1);
      }
      try {
        return call.method.parser().parseFrom(body.nioBuffer());
      } catch (InvalidProtocolBufferException e) {
        throw new CallFailed("an answer from " + authority + " that does not parse", -1);
      }
    }

    private void timedOut(Call<?> call, String why) {
      if (!call.done) {
        reset(call, why, 4); // DEADLINE_EXCEEDED
      }
    }

    /** Fails the call and cancels its stream, if it has one. */
    private void reset(Call<?> call, String why, int grpcStatus) {
      if (call.streamId > 0 && calls.remove(call.streamId) != null && active) {
        handler.resetStream(ctx, call.streamId, Http2Error.CANCEL.code(), ctx.newPromise());
        flushSoon();
      }
      waiting.remove(call);
      fail(call, why, grpcStatus);
    }

    private void fail(Call<?> call, String why, int grpcStatus) {
      if (call.done) {
        return;
      }
      call.done = true;
      cancelTimer(call);
      if (call.frame != null) {
        call.frame.release();
        call.frame = null;
      }
      if (call.received != null) {
        call.received.release();
        call.received = null;
      }
      call.promise.fail(new CallFailed("cluster " + cluster + ": " + why, grpcStatus));
    }

    private void cancelTimer(Call<?> call) {
      if (call.timer != null) {
        call.timer.cancel(false);
        call.timer = null;
      }
    }

    /** The connection is gone or going: every call on it fails, and the next call makes another. */
    private void retire(String why) {
      retired = true;
      connections.remove(key, this);
      List<Call<?>> left = new ArrayList<>(calls.values());
      left.addAll(waiting);
      calls.clear();
      waiting.clear();
      left.forEach(call -> fail(call, why, 14)); // UNAVAILABLE
    }

    void close() {
      retired = true;
      if (channel != null) {
        channel.close();
      }
      retire("cluster " + cluster + " was replaced");
    }
  }
}
