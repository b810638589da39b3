package dev.gatehouse.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.KeyCertOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server for unary methods, written on Netty's HTTP/2 codec and run on Vert.x's event loops:
 * the listener of ext-authz-service (Check) and ratelimit-service (ShouldRateLimit), which Envoy
 * and edge-proxy call once or twice per proxied request.
 *
 * <p>Vert.x's gRPC server answers such a call through an HTTP server request, a gRPC request and
 * response object and a chain of futures; this server keeps what a unary call needs: a map from
 * stream id to the call, the request gathered from its DATA frames and parsed once, the handler run
 * on the connection's event loop (in a Vert.x context of that loop, so Vert.x clients used by the
 * handler stay on it), and the answer's three frames (headers, message, trailers) written together.
 * The writes of one event-loop turn are flushed together.
 *
 * <p>What it serves, and its limits (docs/architecture.md has them too):
 *
 * <ul>
 *   <li>HTTP/2 only: cleartext with prior knowledge (h2c, as every gRPC client speaks it), or TLS
 *       with ALPN {@code h2} (a TLS client that offers no ALPN, or no {@code h2}, is taken as h2:
 *       an HTTP/1.1 client then fails on the HTTP/2 preface and is disconnected). No HTTP/1.1 and
 *       no h2c upgrade.
 *   <li>Unary methods: one request message, answered once the client has ended its stream
 *       (answering a stream the client is still sending on makes grpc-java reset it).
 *   <li>Requests up to {@link #MAX_MESSAGE} (gRPC's default), at most {@link #MAX_BUFFERED} bytes
 *       of unfinished requests per connection (past those, RESOURCE_EXHAUSTED), and {@link
 *       #MAX_CONCURRENT_STREAMS} streams at once per connection (a stream past it is refused with
 *       RST_STREAM REFUSED_STREAM, which gRPC clients retry or report as UNAVAILABLE).
 *   <li>No compression: a compressed message gets UNIMPLEMENTED (grpc-java, Envoy and edge-proxy
 *       send identity unless told otherwise); answers are never compressed.
 *   <li>{@code grpc-timeout} is not enforced here: the handlers have budgets of their own, and a
 *       client that gives up resets the stream, after which the answer is dropped.
 *   <li>Errors: an unknown method is UNIMPLEMENTED, a message that does not parse INVALID_ARGUMENT,
 *       a handler's {@link GrpcFailure} its own status, any other failure INTERNAL with a fixed
 *       message (the detail is logged). A method other than POST gets HTTP 405, a content type
 *       other than {@code application/grpc} or {@code application/grpc+...} HTTP 415. An answer
 *       given before the client has ended its stream is followed by RST_STREAM NO_ERROR, so that
 *       the client stops sending the rest.
 * </ul>
 */
public final class UnaryGrpcServer {
  private static final Logger LOG = LoggerFactory.getLogger(UnaryGrpcServer.class);

  /** The largest request message, gRPC's default receive limit. */
  public static final int MAX_MESSAGE = 4 * 1024 * 1024;

  /** Request bytes one connection may have buffered in calls not yet complete. */
  static final int MAX_BUFFERED = 16 * 1024 * 1024;

  /** Streams a client may have open at once on one connection (advertised in SETTINGS). */
  static final int MAX_CONCURRENT_STREAMS = 1024;

  /**
   * Streams a client may reset within {@link #RST_WINDOW_SECONDS} before the connection is closed
   * (HTTP/2 rapid reset). Generous: clients reset every call they give up on, and at 10,000 calls a
   * second even 5% of them timing out stays under it.
   */
  static final int MAX_RST_PER_WINDOW = 5_000;

  static final int RST_WINDOW_SECONDS = 10;

  /** How long a closing connection waits for the calls it is answering. */
  static final long GRACEFUL_CLOSE_MILLIS = 2_000;

  private static final AsciiString POST = AsciiString.cached("POST");
  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  private static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  private static final AsciiString GRPC_ACCEPT_ENCODING =
      AsciiString.cached("grpc-accept-encoding");
  private static final AsciiString IDENTITY = AsciiString.cached("identity");
  private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  private static final AsciiString STATUS_OK = AsciiString.cached("200");

  // Shared by every answer: the codec only reads them.
  private static final Http2Headers ANSWER_HEADERS =
      new DefaultHttp2Headers(false)
          .status(STATUS_OK)
          .add(CONTENT_TYPE, APPLICATION_GRPC)
          .add(GRPC_ACCEPT_ENCODING, IDENTITY);
  private static final Http2Headers OK_TRAILERS =
      new DefaultHttp2Headers(false).add(GRPC_STATUS, AsciiString.cached("0"));

  /**
   * One method the server answers: its path, how to read its request, and the handler that answers
   * it. The handler runs on the connection's event loop, in a Vert.x context of that loop.
   */
  public static final class Method<Q extends Message, R extends Message> {
    final String path;
    final String name;
    final Parser<Q> parser;
    final String requestType;
    final Function<Q, Future<R>> handler;
    final Function<Throwable, GrpcFailure> failures;

    private Method(
        String name,
        Q prototype,
        Function<Q, Future<R>> handler,
        Function<Throwable, GrpcFailure> failures) {
      this.path = "/" + name;
      this.name = name;
      @SuppressWarnings("unchecked")
      Parser<Q> parser = (Parser<Q>) prototype.getParserForType();
      this.parser = parser;
      this.requestType = prototype.getDescriptorForType().getFullName();
      this.handler = handler;
      this.failures = failures;
    }
  }

  /**
   * The unary method {@code descriptor} (from a generated {@code *Grpc} class), answered by {@code
   * handler}. A failure of the handler's future is sent as its status when it is a {@link
   * GrpcFailure}, and as INTERNAL otherwise.
   */
  public static <Q extends Message, R extends Message> Method<Q, R> method(
      MethodDescriptor<Q, R> descriptor, Function<Q, Future<R>> handler) {
    return method(descriptor, handler, failure -> null);
  }

  /**
   * Like {@link #method(MethodDescriptor, Function)}, with {@code failures} turning the handler's
   * own failures into statuses (null: not one of them, INTERNAL), so that the handler's future
   * needs no mapping of its own.
   */
  public static <Q extends Message, R extends Message> Method<Q, R> method(
      MethodDescriptor<Q, R> descriptor,
      Function<Q, Future<R>> handler,
      Function<Throwable, GrpcFailure> failures) {
    if (descriptor.getType() != MethodDescriptor.MethodType.UNARY) {
      throw new IllegalArgumentException(
          descriptor.getFullMethodName() + " is not unary: " + descriptor.getType());
    }
    if (!(descriptor.getRequestMarshaller()
        instanceof MethodDescriptor.PrototypeMarshaller<Q> marshaller)) {
      throw new IllegalArgumentException(
          descriptor.getFullMethodName() + ": not a protobuf method (no message prototype)");
    }
    return new Method<>(
        descriptor.getFullMethodName(), marshaller.getMessagePrototype(), handler, failures);
  }

  /**
   * Where and how to listen.
   *
   * @param port 0 for a free port
   * @param eventLoops how many of Vert.x's event loops serve connections (each connection stays on
   *     one)
   * @param tls the certificate and key for TLS (h2 with ALPN); null for cleartext h2c
   */
  public record Options(String host, int port, int eventLoops, KeyCertOptions tls) {
    public Options {
      if (eventLoops < 1) {
        throw new IllegalArgumentException("event loops: " + eventLoops + " (expected: >= 1)");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
      }
    }
  }

  private final VertxInternal vertx;
  private final Map<String, Method<?, ?>> methods = new HashMap<>();
  private final List<EventLoop> loops;
  private final Map<EventLoop, ContextInternal> contexts = new HashMap<>();
  private final SslContext ssl;
  private final ChannelGroup connections =
      new DefaultChannelGroup("grpc-connections", ImmediateEventExecutor.INSTANCE);
  private ServerChannel listener;

  private UnaryGrpcServer(VertxInternal vertx, Options options, List<Method<?, ?>> served)
      throws Exception {
    this.vertx = vertx;
    for (Method<?, ?> method : served) {
      if (methods.put(method.path, method) != null) {
        throw new IllegalArgumentException("method served twice: " + method.name);
      }
    }
    Set<EventLoop> chosen = new LinkedHashSet<>();
    // next() goes round the group, so this takes the first eventLoops distinct loops (or all).
    for (int i = 0; i < options.eventLoops() * 4 && chosen.size() < options.eventLoops(); i++) {
      chosen.add(vertx.nettyEventLoopGroup().next());
    }
    this.loops = List.copyOf(chosen);
    for (EventLoop loop : loops) {
      contexts.put(loop, vertx.contextBuilder().withEventLoop(loop).build());
    }
    this.ssl = options.tls() == null ? null : sslContext(vertx, options.tls());
  }

  private static SslContext sslContext(Vertx vertx, KeyCertOptions tls) throws Exception {
    // Vert.x reads the key material (PEM with PKCS#1 or PKCS#8 keys, JKS, PKCS#12).
    KeyManagerFactory keys = tls.getKeyManagerFactory(vertx);
    return SslContextBuilder.forServer(keys)
        .sslProvider(SslProvider.JDK)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2))
        .build();
  }

  /** Listens; the future fails when the port cannot be bound or the TLS material not read. */
  public static Future<UnaryGrpcServer> listen(
      Vertx vertx, Options options, List<Method<?, ?>> methods) {
    UnaryGrpcServer server;
    try {
      server = new UnaryGrpcServer((VertxInternal) vertx, options, methods);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    return server.bind(options).map(server);
  }

  private Future<Void> bind(Options options) {
    Promise<Void> bound = Promise.promise();
    ServerChannel channel = vertx.transport().serverChannelFactory(false).newChannel();
    channel.pipeline().addLast(new Acceptor());
    vertx
        .acceptorEventLoopGroup()
        .register(channel)
        .addListener(
            registered -> {
              if (!registered.isSuccess()) {
                bound.fail(registered.cause());
                return;
              }
              channel
                  .bind(new InetSocketAddress(options.host(), options.port()))
                  .addListener(
                      done -> {
                        if (done.isSuccess()) {
                          listener = channel;
                          bound.complete();
                        } else {
                          channel.close();
                          bound.fail(done.cause());
                        }
                      });
            });
    return bound.future();
  }

  /** The port listened on. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Stops accepting, and closes every connection: each sends GOAWAY and waits up to {@link
   * #GRACEFUL_CLOSE_MILLIS} for the calls it is answering.
   */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    ServerChannel channel = listener;
    if (channel == null) {
      return Future.succeededFuture();
    }
    channel
        .close()
        .addListener(unbound -> connections.close().addListener(all -> closed.tryComplete()));
    return closed.future();
  }

  /**
   * Takes each accepted connection to one of the chosen event loops, in turn (Netty's server
   * bootstrap can only spread them over a whole group), or, for a connection this process opened
   * itself, to the loop that opened it ({@link LocalCallers}).
   */
  private final class Acceptor extends ChannelInboundHandlerAdapter {
    private int next; // only touched on the acceptor's loop

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
      Channel child = (Channel) accepted;
      try {
        child.config().setOption(ChannelOption.TCP_NODELAY, true);
        child.pipeline().addLast(new Setup());
        // A connection of this process's own (edge-proxy in gatehouse run) stays on its caller's
        // loop; any other goes to the chosen loops in turn.
        EventLoop loop = LocalCallers.loopOf(child.remoteAddress());
        if (loop == null || !loops.contains(loop)) {
          loop = loops.get(next++ % loops.size());
        }
        loop.register(child)
            .addListener(
                registered -> {
                  if (!registered.isSuccess()) {
                    child.unsafe().closeForcibly();
                  }
                });
      } catch (RuntimeException e) {
        LOG.warn("gRPC listener: cannot take a connection: {}", e.toString());
        child.unsafe().closeForcibly();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // An accept that failed (out of file descriptors, say): the listener stays open, but stops
      // accepting for a second, as Netty's own server bootstrap does, rather than retrying at once
      // in a loop that would hold the acceptor thread and flood the log.
      LOG.warn("gRPC listener: {}; accepting again in 1 s", cause.toString());
      ctx.channel().config().setAutoRead(false);
      ctx.channel()
          .eventLoop()
          .schedule(
              () -> {
                ctx.channel().config().setAutoRead(true);
              },
              1,
              TimeUnit.SECONDS);
    }
  }

  /** Puts TLS (when configured) and the HTTP/2 codec on a new connection. */
  private final class Setup extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel channel) {
      connections.add(channel);
      ContextInternal context = contexts.get(channel.eventLoop());
      if (ssl == null) {
        channel.pipeline().addLast(new Connection(channel, context).handler, new Tail());
        return;
      }
      channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
      channel
          .pipeline()
          .addLast(
              new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_2) {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                  if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    ctx.pipeline().addLast(new Connection(channel, context).handler, new Tail());
                  } else {
                    ctx.close(); // not reached while h2 is the only protocol (and the fallback)
                  }
                }

                @Override
                protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                  // A client speaking cleartext to the TLS port, a scanner: not worth a warning.
                  LOG.debug("gRPC listener: TLS handshake failed: {}", cause.toString());
                  ctx.close();
                }
              });
    }
  }

  /**
   * The end of a connection's pipeline: what the codec passes on (an I/O error such as a reset by
   * the peer, a client killed or restarted) closes the connection, logged at debug only.
   */
  private static final class Tail extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("gRPC connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** One call: where it stands, and its request bytes while they arrive. Confined to its loop. */
  private static final class Call {
    final int id;
    Method<?, ?> method;
    CharSequence encoding;
    ByteBuf body;
    // Answered, or given up: nothing more is read or written for it.
    boolean done;

    Call(int id) {
      this.id = id;
    }
  }

  /** One HTTP/2 connection: the codec's listener, confined to the connection's event loop. */
  private final class Connection extends Http2FrameAdapter {
    final Channel channel;
    final ContextInternal context;
    final Http2ConnectionHandler handler;
    final IntObjectHashMap<Call> calls = new IntObjectHashMap<>();
    ChannelHandlerContext ctx;
    int buffered;
    boolean flushPending;

    Connection(Channel channel, ContextInternal context) {
      this.channel = channel;
      this.context = context;
      Http2Connection connection = new DefaultHttp2Connection(true);
      connection.addListener(
          new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
              Call call = calls.remove(stream.id());
              if (call != null) {
                call.done = true; // answered, reset by the client, or the connection closed
                releaseBody(call);
              }
            }
          });
      this.handler =
          new Http2ConnectionHandlerBuilder()
              .connection(connection)
              .frameListener(this)
              .initialSettings(
                  Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
              .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
              .gracefulShutdownTimeoutMillis(GRACEFUL_CLOSE_MILLIS)
              .build();
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
      this.ctx = ctx;
      Call call = calls.get(streamId);
      if (call != null) { // the client's trailers, after its DATA frames
        if (endOfStream && !call.done) {
          complete(call, call.body != null ? call.body : Unpooled.EMPTY_BUFFER);
        }
        return;
      }
      call = new Call(streamId);
      calls.put(streamId, call);
      if (!POST.contentEquals(headers.method())) {
        refuse(call, "405", "method " + headers.method() + " (expected: POST)");
        stopSending(call, endOfStream);
        return;
      }
      CharSequence type = headers.get(CONTENT_TYPE);
      if (!isGrpc(type)) {
        refuse(call, "415", "content-type " + type + " (expected: application/grpc)");
        stopSending(call, endOfStream);
        return;
      }
      Method<?, ?> method = methods.get(String.valueOf(headers.path()));
      if (method == null) {
        answer(call, Status.Code.UNIMPLEMENTED, "unknown method " + headers.path());
        stopSending(call, endOfStream);
        return;
      }
      call.method = method;
      call.encoding = headers.get(GRPC_ENCODING);
      if (endOfStream) {
        complete(call, Unpooled.EMPTY_BUFFER);
      }
    }

    /** After an answer given before the client ended its stream: RST_STREAM NO_ERROR. */
    private void stopSending(Call call, boolean clientEnded) {
      if (!clientEnded) {
        handler.resetStream(ctx, call.id, Http2Error.NO_ERROR.code(), ctx.newPromise());
      }
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      // Read is consumed: the codec gives the window back (what is buffered is bounded below).
      int consumed = data.readableBytes() + padding;
      Call call = calls.get(streamId);
      if (call == null || call.done) {
        return consumed;
      }
      int size = data.readableBytes();
      int held = call.body == null ? 0 : call.body.readableBytes();
      if (held + size > MAX_MESSAGE + 5) {
        tooLarge(call, "request larger than " + MAX_MESSAGE + " bytes");
        return consumed;
      }
      if (buffered + size > MAX_BUFFERED) {
        tooLarge(call, "more than " + MAX_BUFFERED + " request bytes waiting on this connection");
        return consumed;
      }
      if (endOfStream && call.body == null) {
        complete(call, data); // the whole request in one frame, the usual case: no copy
        return consumed;
      }
      if (size > 0) {
        if (call.body == null) {
          call.body = ctx.alloc().buffer(Math.max(size, 256));
        }
        call.body.writeBytes(data);
        buffered += size;
      }
      if (endOfStream) {
        ByteBuf body = call.body;
        complete(call, body);
      }
      return consumed;
    }

    /** The client has ended its stream: parse the one message and run the handler. */
    private void complete(Call call, ByteBuf bytes) {
      try {
        Object request = parse(call, bytes);
        if (request != null) {
          context.emit(request, message -> invoke(call, message));
        }
      } finally {
        releaseBody(call);
      }
    }

    /** The request, or null when the call has been answered with an error instead. */
    private Object parse(Call call, ByteBuf in) {
      if (in.readableBytes() < 5) {
        answer(call, Status.Code.INVALID_ARGUMENT, "no request message");
        return null;
      }
      byte compressed = in.readByte();
      long length = in.readUnsignedInt();
      if (compressed != 0) {
        boolean declared = call.encoding != null && !IDENTITY.contentEquals(call.encoding);
        answer(
            call,
            declared ? Status.Code.UNIMPLEMENTED : Status.Code.INTERNAL,
            declared
                ? "grpc-encoding " + call.encoding + " is not supported (expected: identity)"
                : "a compressed message without grpc-encoding",
            true);
        return null;
      }
      if (length != in.readableBytes()) {
        answer(
            call,
            Status.Code.INVALID_ARGUMENT,
            "expected one request message of "
                + length
                + " bytes, got "
                + in.readableBytes()
                + " bytes");
        return null;
      }
      Method<?, ?> method = call.method;
      try {
        ByteBuffer bytes =
            in.nioBufferCount() == 1
                ? in.nioBuffer()
                : ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(in));
        // Protobuf copies what it keeps (the buffer is not marked immutable), so the bytes can be
        // released once parsed.
        return method.parser.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        answer(
            call,
            Status.Code.INVALID_ARGUMENT,
            "request: unreadable (expected: " + method.requestType + ")");
        return null;
      }
    }

    @SuppressWarnings("unchecked")
    private void invoke(Call call, Object request) {
      Method<Message, Message> method = (Method<Message, Message>) call.method;
      Future<Message> answer;
      try {
        answer = method.handler.apply((Message) request);
        if (answer == null) {
          answer = Future.failedFuture(new IllegalStateException("the handler returned null"));
        }
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(
          done -> {
            if (channel.eventLoop().inEventLoop()) {
              respond(call, done);
            } else {
              channel.eventLoop().execute(() -> respond(call, done));
            }
          });
    }

    private void respond(Call call, AsyncResult<Message> done) {
      if (call.done) {
        return; // reset by the client, or the connection closed, while the handler ran
      }
      if (done.succeeded()) {
        call.done = true;
        writeAnswer(call, done.result());
      } else {
        Throwable cause = done.cause();
        GrpcFailure failure =
            cause instanceof GrpcFailure given ? given : call.method.failures.apply(cause);
        if (failure != null) {
          answer(call, failure.code(), failure.getMessage());
        } else {
          LOG.error("{} failed", call.method.name, cause);
          answer(call, Status.Code.INTERNAL, "internal error");
        }
      }
    }

    private void writeAnswer(Call call, Message message) {
      int size = message.getSerializedSize();
      ByteBuf frame = channel.alloc().buffer(5 + size);
      frame.writeByte(0).writeInt(size);
      try {
        CodedOutputStream out = CodedOutputStream.newInstance(frame.nioBuffer(5, size));
        message.writeTo(out);
        out.checkNoSpaceLeft();
      } catch (java.io.IOException | RuntimeException e) {
        frame.release();
        LOG.error("{}: cannot encode the answer", call.method.name, e);
        call.done = false;
        answer(call, Status.Code.INTERNAL, "internal error");
        return;
      }
      frame.writerIndex(5 + size);
      handler.encoder().writeHeaders(ctx, call.id, ANSWER_HEADERS, 0, false, ctx.newPromise());
      handler.encoder().writeData(ctx, call.id, frame, 0, false, ctx.newPromise());
      handler.encoder().writeHeaders(ctx, call.id, OK_TRAILERS, 0, true, ctx.newPromise());
      flushSoon();
    }

    /** Ends the call with a gRPC status, in one HEADERS frame (trailers only). */
    private void answer(Call call, Status.Code code, String message) {
      answer(call, code, message, false);
    }

    /** The same, telling the client which message encodings it may use instead. */
    private void answer(Call call, Status.Code code, String message, boolean encodings) {
      if (call.done) {
        return;
      }
      call.done = true;
      Http2Headers trailers =
          new DefaultHttp2Headers(false)
              .status(STATUS_OK)
              .add(CONTENT_TYPE, APPLICATION_GRPC)
              .add(GRPC_STATUS, String.valueOf(code.value()))
              .add(GRPC_MESSAGE, percentEncode(message));
      if (encodings) {
        trailers.add(GRPC_ACCEPT_ENCODING, IDENTITY);
      }
      handler.encoder().writeHeaders(ctx, call.id, trailers, 0, true, ctx.newPromise());
      flushSoon();
    }

    /** Ends the stream with an HTTP status: the request is not gRPC at all. */
    private void refuse(Call call, String httpStatus, String message) {
      call.done = true;
      Http2Headers headers =
          new DefaultHttp2Headers(false)
              .status(httpStatus)
              .add(GRPC_STATUS, String.valueOf(Status.Code.INTERNAL.value()))
              .add(GRPC_MESSAGE, percentEncode(message));
      handler.encoder().writeHeaders(ctx, call.id, headers, 0, true, ctx.newPromise());
      flushSoon();
    }

    /** RESOURCE_EXHAUSTED, then a reset telling the client to stop sending the rest. */
    private void tooLarge(Call call, String message) {
      releaseBody(call);
      answer(call, Status.Code.RESOURCE_EXHAUSTED, message);
      handler.resetStream(ctx, call.id, Http2Error.NO_ERROR.code(), ctx.newPromise());
    }

    private void releaseBody(Call call) {
      if (call.body != null) {
        buffered -= call.body.writerIndex();
        call.body.release();
        call.body = null;
      }
    }

    /** One flush at the end of this event-loop turn, for every answer written in it. */
    private void flushSoon() {
      if (!flushPending) {
        flushPending = true;
        channel
            .eventLoop()
            .execute(
                () -> {
                  flushPending = false;
                  // Through the codec: its flow controller holds the DATA frames until then.
                  channel.flush();
                });
      }
    }
  }

  /**
   * {@code application/grpc}, alone or followed by {@code +} (a codec) or {@code ;} (parameters).
   */
  static boolean isGrpc(CharSequence type) {
    if (type == null || !AsciiString.regionMatches(type, true, 0, APPLICATION_GRPC, 0, 16)) {
      return false;
    }
    return type.length() == 16 || type.charAt(16) == '+' || type.charAt(16) == ';';
  }

  /** grpc-message's encoding: bytes outside printable ASCII, and '%', as %XX of their UTF-8. */
  static String percentEncode(String message) {
    if (message == null) {
      return "";
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = null;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = b >= 0x20 && b <= 0x7e && b != '%';
      if (plain && out == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(bytes.length + 16);
        out.append(message, 0, i); // everything before i was plain ASCII: chars == bytes
      }
      if (plain) {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out == null ? message : out.toString();
  }
}
