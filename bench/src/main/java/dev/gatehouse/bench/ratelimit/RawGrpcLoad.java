package dev.gatehouse.bench.ratelimit;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A lean ShouldRateLimit load generator: each call is written as two pre-encoded HTTP/2 frames
 * (HEADERS, then DATA with the gRPC message) over h2c with prior knowledge, from one thread that
 * owns every connection, and the answers are read frame by frame without decoding their headers.
 * The grpc-java client costs 40-95 us of CPU per call on this machine, as much as the service
 * itself; this costs a few, so more of the two cores is left to the service, as a load generator on
 * another machine would leave it.
 *
 * <p>What it checks of an answer: a call succeeded when its stream ended after a DATA frame whose
 * message starts with {@code overall_code} (OK or OVER_LIMIT, read from the message's first bytes).
 * A stream that ends without DATA (a gRPC error is sent as trailers only), a reset stream or a
 * closed connection is an error. Trailers are not decoded (that needs HPACK's dynamic table), so an
 * error status after a message would count as a success; the service never sends one.
 *
 * <p>Flow control: the generator grants the server the largest windows at start, so the server
 * never waits for it (a bounded run receives far less than 2 GiB); its own DATA frames respect the
 * server's connection window, and calls that do not fit wait in order.
 */
final class RawGrpcLoad implements LoadGenerator {
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  // Streams in flight per connection are kept in a ring indexed by stream id; more in flight than
  // this on one connection stops the run (the service is not keeping up at all).
  private static final int RING = 1 << 16;
  // While calls are scheduled less than a millisecond apart, the thread sleeps at most this long
  // between looks at the sockets, so an answer is seen at most this late.
  private static final long POLL_NANOS = 50_000;

  private final Selector selector;
  private final Connection[] connections;
  // The first call's header block on a connection adds its headers to HPACK's dynamic table; every
  // later call's refers to them by index, as Envoy's and grpc-java's encoders do.
  private final byte[] firstHeaderBlock;
  private final byte[] headerBlock;
  private final byte[][] bodies;
  private final int largestBody;

  RawGrpcLoad(int port, int connectionCount, List<RateLimitRequest> requests) throws IOException {
    this.firstHeaderBlock = firstHeaderBlock("127.0.0.1:" + port);
    this.headerBlock = INDEXED_HEADER_BLOCK;
    this.bodies = new byte[requests.size()][];
    for (int i = 0; i < bodies.length; i++) {
      byte[] message = requests.get(i).toByteArray();
      byte[] framed = new byte[5 + message.length];
      ByteBuffer.wrap(framed).put((byte) 0).putInt(message.length).put(message);
      bodies[i] = framed;
    }
    this.largestBody = Arrays.stream(bodies).mapToInt(b -> b.length).max().orElse(0);
    this.selector = Selector.open();
    this.connections = new Connection[connectionCount];
    for (int i = 0; i < connectionCount; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
      channel.configureBlocking(false);
      Connection connection = new Connection(channel);
      channel.register(selector, SelectionKey.OP_READ, connection);
      connections[i] = connection;
      connection.start();
    }
  }

  /** Keeps {@code concurrency} calls in flight for {@code seconds}. */
  @Override
  public RlsLoad.Result closedLoop(int concurrency, int seconds) throws IOException {
    Run run = new Run(new long[Math.max(1, 100_000 * seconds)]);
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    run.refill = deadline;
    for (int i = 0; i < concurrency; i++) {
      send(connections[i % connections.length], run, System.nanoTime());
    }
    flush();
    while (run.inFlight > 0) {
      selector.select(10);
      read(run);
      flush();
      if (System.nanoTime() > deadline + 30_000_000_000L) {
        break; // answers that never come are counted as errors below
      }
    }
    run.unanswered += run.inFlight;
    return run.result((System.nanoTime() - start) / 1e9);
  }

  /**
   * Starts {@code rate} calls per second, evenly spaced and spread over the connections in turn,
   * for {@code seconds}; each call is timed from its scheduled start, so a late generator or a
   * queue anywhere counts against the latency rather than lowering the rate.
   */
  @Override
  public RlsLoad.Result openLoop(int rate, int seconds) throws IOException {
    int total = rate * seconds;
    Run run = new Run(new long[total]);
    run.refill = Long.MIN_VALUE;
    double interval = 1e9 / rate;
    long start = System.nanoTime();
    int started = 0;
    while (started < total || run.inFlight > 0) {
      long now = System.nanoTime();
      while (started < total && start + (long) (started * interval) <= now) {
        send(connections[started % connections.length], run, start + (long) (started * interval));
        started++;
      }
      flush();
      long next = started < total ? start + (long) (started * interval) : Long.MAX_VALUE;
      long wait = next - System.nanoTime();
      if (wait >= 2_000_000) {
        selector.select(Math.min(wait / 1_000_000 - 1, 10));
      } else {
        selector.selectNow();
        if (wait > 0 && selector.selectedKeys().isEmpty()) {
          LockSupport.parkNanos(Math.min(wait, POLL_NANOS));
        }
      }
      read(run);
      if (now > start + seconds * 1_000_000_000L + 30_000_000_000L) {
        break;
      }
    }
    run.unanswered += run.inFlight;
    run.writeRaw();
    return run.result((System.nanoTime() - start) / 1e9);
  }

  private void send(Connection connection, Run run, long scheduled) throws IOException {
    if (connection.closed) {
      run.closed++;
      return;
    }
    run.inFlight++;
    connection.waiting.addLast(scheduled);
    connection.drain(run);
  }

  private void read(Run run) throws IOException {
    for (SelectionKey key : selector.selectedKeys()) {
      Connection connection = (Connection) key.attachment();
      if (key.isValid() && key.isReadable()) {
        connection.readFrames(run);
      }
    }
    selector.selectedKeys().clear();
  }

  private void flush() throws IOException {
    for (Connection connection : connections) {
      connection.flush();
    }
  }

  @Override
  public void close() throws IOException {
    for (Connection connection : connections) {
      connection.channel.close();
    }
    selector.close();
  }

  /** What one run counts. */
  private static final class Run {
    final long[] latencies;
    // Each answer's scheduled start, beside its latency, for -Dbench.raw.
    final long[] scheduled;
    int recorded;
    // Errors by kind: a stream ended without a message (a gRPC error, sent as trailers only), a
    // stream reset, a call on or cut by a closed connection, no answer at the end of the run.
    long noMessage;
    long reset;
    long closed;
    long unanswered;
    long overLimit;
    int inFlight;
    int sequence;
    // Closed loop: until this time, every answer sends the next call on its connection.
    long refill;

    Run(long[] latencies) {
      this.latencies = latencies;
      this.scheduled = new long[latencies.length];
    }

    void record(long start, long nanos) {
      if (recorded < latencies.length) {
        latencies[recorded] = nanos;
        scheduled[recorded] = start;
      }
      recorded++;
    }

    /** With -Dbench.raw=FILE: one line per answer, ms since the first start and latency in ms. */
    void writeRaw() throws IOException {
      String file = System.getProperty("bench.raw");
      if (file == null) {
        return;
      }
      int count = Math.min(recorded, latencies.length);
      long first = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        first = Math.min(first, scheduled[i]);
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < count; i++) {
        out.append(
            String.format(
                java.util.Locale.ROOT,
                "%.3f %.3f%n",
                (scheduled[i] - first) / 1e6,
                latencies[i] / 1e6));
      }
      java.nio.file.Files.writeString(java.nio.file.Path.of(file), out);
    }

    RlsLoad.Result result(double seconds) {
      long[] sorted = Arrays.copyOf(latencies, Math.min(recorded, latencies.length));
      Arrays.sort(sorted);
      long errors = noMessage + reset + closed + unanswered;
      if (errors > 0) {
        System.out.printf(
            "  errors: %d without a message (gRPC status), %d reset, %d on a closed connection,"
                + " %d unanswered%n",
            noMessage, reset, closed, unanswered);
      }
      return new RlsLoad.Result(recorded, errors, overLimit, seconds, sorted);
    }
  }

  private final class Connection {
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
    ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    final long[] startedAt = new long[RING];
    // 0: no answer yet; 1: OK seen; 2: OVER_LIMIT seen; 3: a message of another kind.
    final byte[] answer = new byte[RING];
    final java.util.ArrayDeque<Long> waiting = new java.util.ArrayDeque<>();
    int nextStream = 1;
    int oldestStream = 1;
    // Streams open on this connection, and the server's limit on them (calls beyond it wait).
    int open;
    int maxStreams = Integer.MAX_VALUE;
    long sendWindow = 65_535;
    boolean closed;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void start() throws IOException {
      out.put("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // SETTINGS: no push, the largest stream window; then the largest connection window.
      frame(12, SETTINGS, 0, 0);
      out.putShort((short) 2).putInt(0);
      out.putShort((short) 4).putInt(Integer.MAX_VALUE);
      frame(4, WINDOW_UPDATE, 0, 0);
      out.putInt(Integer.MAX_VALUE - 65_535);
      flush();
    }

    /** Writes the waiting calls that the server's stream limit and window let through. */
    void drain(Run run) throws IOException {
      while (!waiting.isEmpty() && open < maxStreams && sendWindow >= largestBody) {
        write(waiting.pollFirst(), bodies[run.sequence++ % bodies.length]);
      }
    }

    void write(long scheduled, byte[] body) throws IOException {
      int stream = nextStream;
      nextStream += 2;
      int slot = (stream >>> 1) & (RING - 1);
      if (stream - oldestStream >= 2 * RING) {
        throw new IOException("more than " + RING + " calls in flight on one connection");
      }
      startedAt[slot] = scheduled;
      answer[slot] = 0;
      open++;
      byte[] headers = stream == 1 ? firstHeaderBlock : headerBlock;
      if (out.remaining() < 18 + headers.length + body.length) {
        flush();
        if (out.remaining() < 18 + headers.length + body.length) {
          ByteBuffer bigger = ByteBuffer.allocateDirect(out.capacity() * 2);
          out.flip();
          bigger.put(out);
          out = bigger;
        }
      }
      frame(headers.length, HEADERS, END_HEADERS, stream);
      out.put(headers);
      frame(body.length, DATA, END_STREAM, stream);
      out.put(body);
      sendWindow -= body.length;
    }

    private void frame(int length, int type, int flags, int stream) {
      out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
      out.put((byte) type).put((byte) flags).putInt(stream);
    }

    void flush() throws IOException {
      if (out.position() == 0 || closed) {
        return;
      }
      out.flip();
      channel.write(out);
      out.compact();
      SelectionKey key = channel.keyFor(selector);
      if (key != null && key.isValid()) {
        key.interestOps(
            out.position() > 0
                ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                : SelectionKey.OP_READ);
      }
    }

    void readFrames(Run run) throws IOException {
      int n;
      try {
        n = channel.read(in);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        fail(run);
        return;
      }
      in.flip();
      while (in.remaining() >= 9) {
        int at = in.position();
        int length =
            (in.get(at) & 0xff) << 16 | (in.get(at + 1) & 0xff) << 8 | (in.get(at + 2) & 0xff);
        if (length > in.capacity() - 9) {
          throw new IOException("frame of " + length + " bytes is larger than the read buffer");
        }
        if (in.remaining() < 9 + length) {
          break;
        }
        int type = in.get(at + 3);
        int flags = in.get(at + 4);
        int stream = in.getInt(at + 5) & 0x7fffffff;
        frameArrived(run, type, flags, stream, at + 9, length);
        in.position(at + 9 + length);
      }
      in.compact();
    }

    private void frameArrived(Run run, int type, int flags, int stream, int payload, int length)
        throws IOException {
      switch (type) {
        case DATA -> {
          int from = payload;
          if ((flags & PADDED) != 0) {
            from++;
          }
          if (inFlight(stream) && answer[slot(stream)] == 0 && length >= from - payload + 7) {
            // A gRPC message of RateLimitResponse: 5 bytes of prefix, then field 1
            // (overall_code) as a varint: 1 OK, 2 OVER_LIMIT.
            byte tag = in.get(from + 5);
            byte code = in.get(from + 6);
            answer[slot(stream)] = tag == 0x08 && (code == 1 || code == 2) ? code : (byte) 3;
          }
          if ((flags & END_STREAM) != 0) {
            complete(run, stream, false);
          }
        }
        case HEADERS -> {
          if ((flags & END_STREAM) != 0) {
            complete(run, stream, false);
          }
        }
        case RST_STREAM -> complete(run, stream, true);
        case SETTINGS -> {
          if ((flags & ACK) == 0) {
            for (int at = payload; at + 6 <= payload + length; at += 6) {
              if (in.getShort(at) == 3) { // SETTINGS_MAX_CONCURRENT_STREAMS
                maxStreams = in.getInt(at + 2) & 0x7fffffff;
              }
            }
            frame(0, SETTINGS, ACK, 0);
            drain(run);
          }
        }
        case PING -> {
          if ((flags & ACK) == 0) {
            frame(8, PING, ACK, 0);
            out.putLong(in.getLong(payload));
          }
        }
        case WINDOW_UPDATE -> {
          if (stream == 0) {
            sendWindow += in.getInt(payload) & 0x7fffffff;
            drain(run);
          }
        }
        case GOAWAY -> fail(run);
        default -> {
          // PRIORITY, PUSH_PROMISE (disabled), CONTINUATION (END_STREAM is on its HEADERS)
        }
      }
    }

    private int slot(int stream) {
      return (stream >>> 1) & (RING - 1);
    }

    private boolean inFlight(int stream) {
      return stream >= oldestStream && stream < nextStream && startedAt[slot(stream)] != 0;
    }

    private void complete(Run run, int stream, boolean reset) throws IOException {
      if (!inFlight(stream)) {
        return;
      }
      int slot = slot(stream);
      long began = startedAt[slot];
      long took = System.nanoTime() - began;
      startedAt[slot] = 0;
      while (oldestStream < nextStream && startedAt[slot(oldestStream)] == 0) {
        oldestStream += 2;
      }
      run.inFlight--;
      open--;
      byte code = answer[slot];
      if (reset) {
        run.reset++;
      } else if (code == 0 || code == 3) {
        run.noMessage++;
      } else {
        if (code == 2) {
          run.overLimit++;
        }
        run.record(began, took);
      }
      if (System.nanoTime() < run.refill) {
        send(this, run, System.nanoTime());
      } else {
        drain(run);
      }
    }

    private void fail(Run run) throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      for (int stream = oldestStream; stream < nextStream; stream += 2) {
        if (startedAt[slot(stream)] != 0) {
          startedAt[slot(stream)] = 0;
          run.inFlight--;
          run.closed++;
        }
      }
      run.inFlight -= waiting.size();
      run.closed += waiting.size();
      waiting.clear();
      channel.close();
    }
  }

  /**
   * The first call's header block in HPACK, without Huffman coding: :method POST and :scheme http
   * from the static table, the rest as literals with incremental indexing, which puts them in the
   * connection's dynamic table in this order: :path, :authority, content-type, te.
   *
   * <p>Until 2026-11-28 every call sent this block as literals without indexing, which made the
   * server's HPACK decoder allocate a byte array per header per call (close to half of the bytes
   * the service allocated, by JFR's allocation samples); real clients index them.
   */
  private static byte[] firstHeaderBlock(String authority) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x83); // :method: POST
    block.write(0x86); // :scheme: http
    literal(
        block,
        new byte[] {0x44}, // :path (static 4), indexed
        "/" + RateLimitServiceGrpc.getShouldRateLimitMethod().getFullMethodName());
    literal(block, new byte[] {0x41}, authority); // :authority (static 1), indexed
    literal(block, new byte[] {0x5f}, "application/grpc"); // content-type (static 31), indexed
    block.write(0x40); // a new name, indexed
    string(block, "te");
    string(block, "trailers");
    return block.toByteArray();
  }

  /**
   * Every later call's block: the two static entries, then the four dynamic ones, newest first at
   * index 62: te 62, content-type 63, :authority 64, :path 65.
   */
  private static final byte[] INDEXED_HEADER_BLOCK = {
    (byte) 0x83,
    (byte) 0x86,
    (byte) (0x80 | 65),
    (byte) (0x80 | 64),
    (byte) (0x80 | 63),
    (byte) (0x80 | 62)
  };

  private static void literal(ByteArrayOutputStream block, byte[] nameIndex, String value) {
    block.writeBytes(nameIndex);
    string(block, value);
  }

  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > 126) {
      throw new IllegalArgumentException("header value too long for a one-byte length: " + value);
    }
    block.write(bytes.length);
    block.writeBytes(bytes);
  }
}
