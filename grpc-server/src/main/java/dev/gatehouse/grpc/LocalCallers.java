package dev.gatehouse.grpc;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event loops of this process's own loopback connections to its gRPC servers, by the client
 * socket's address. When edge-proxy and a service run in one process ({@code gatehouse run}),
 * edge-proxy records each connection it opens to a loopback address here before connecting, and
 * {@link UnaryGrpcServer} takes a connection it finds here on the loop that opened it (when that
 * loop is one of its own). A call then stays on one thread from the proxied request to the answer.
 *
 * <p>Why: the server spreads accepted connections over its loops in turn, so whether the edge's
 * connection of loop A was served on loop A or on loop B was left to which loop connected first.
 * Served on the other loop, every call woke that loop and then the caller's again; the full chain
 * (JWT authz and Redis rate limiting) made 4,855 requests/s that way against 7,869 on the same
 * loop, in two runs a few minutes apart (bench/README.md, full chain).
 *
 * <p>Connections from other processes are never found here: a socket address is unique on the host
 * while its socket is open, and entries are removed when the connection closes.
 */
public final class LocalCallers {
  private static final Map<SocketAddress, EventLoop> LOOPS = new ConcurrentHashMap<>();

  private LocalCallers() {}

  /** The connection bound to {@code local} is used from {@code loop}, until {@link #forget}. */
  public static void register(InetSocketAddress local, EventLoop loop) {
    LOOPS.put(local, loop);
  }

  public static void forget(InetSocketAddress local) {
    LOOPS.remove(local);
  }

  /** The loop of this process's connection whose client end is {@code remote}, or null. */
  static EventLoop loopOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress address
            && address.getAddress() != null
            && address.getAddress().isLoopbackAddress()
        ? LOOPS.get(address)
        : null;
  }
}
