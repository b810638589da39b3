package dev.gatehouse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Hands out free TCP ports on 127.0.0.1 for servers that must know their port before starting. */
public final class FreePorts {

  private static final InetAddress LOOPBACK = loopback();
  private static final int MAX_ATTEMPTS = 100;

  // Ports already given out in this JVM: two tests asking at once must not get the same port
  // just because the first one has not bound it yet.
  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("a literal address is always valid", e);
    }
  }

  /** One port that nothing listens on right now and that this JVM has not handed out before. */
  public static int next() {
    return next(1).get(0);
  }

  /** {@code n} distinct ports, each free right now and not handed out before by this JVM. */
  public static synchronized List<Integer> next(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    // All sockets stay open until every port is chosen, so the kernel cannot repeat one.
    List<ServerSocket> open = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int attempt = 0; ports.size() < n; attempt++) {
        if (attempt >= MAX_ATTEMPTS + n) {
          throw new IllegalStateException(
              "no free port: found " + ports.size() + " of " + n + " after " + attempt + " tries");
        }
        ServerSocket socket = new ServerSocket();
        open.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = socket.getLocalPort();
        if (handedOut.add(port)) {
          ports.add(port);
        }
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a probe socket on " + LOOPBACK, e);
    } finally {
      for (ServerSocket socket : open) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // A probe socket that fails to close does not change which ports were free.
        }
      }
    }
  }
}
