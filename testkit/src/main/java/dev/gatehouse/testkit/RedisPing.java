package dev.gatehouse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks a Redis server PING over a raw socket in RESP, with no client library in between. */
final class RedisPing {

  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String PONG = "+PONG";

  private RedisPing() {}

  /** Whether the server at host:port answers {@code +PONG} within the timeout. */
  static boolean ping(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      return PONG.equals(readLine(socket.getInputStream()));
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r' && line.length() < 512) {
      line.append((char) c);
    }
    return line.toString();
  }
}
