package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerIT {

  @RegisterExtension static RedisExtension redis = new RedisExtension();

  @Test
  void answersPingInRespOnLoopback() throws IOException {
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());

    assertThat(command(redis.port(), "PING")).isEqualTo("+PONG");
  }

  @Test
  void keepsDataWhileRunning() throws IOException {
    assertThat(command(redis.port(), "SET", "gatehouse", "edge")).isEqualTo("+OK");

    assertThat(command(redis.port(), "GET", "gatehouse")).isEqualTo("$4\r\nedge");
  }

  @Test
  void stopRefusesConnectionsAndStartBringsRedisBackOnTheSamePort() throws IOException {
    int port = redis.port();

    redis.stop();
    assertThatThrownBy(() -> command(port, "PING")).isInstanceOf(ConnectException.class);

    redis.start();
    assertThat(redis.port()).isEqualTo(port);
    assertThat(command(port, "PING")).isEqualTo("+PONG");
  }

  @Test
  void killLikeACrashThenStartAnswersAgain() throws IOException {
    int port = redis.port();

    redis.kill();
    assertThatThrownBy(() -> command(port, "PING")).isInstanceOf(ConnectException.class);

    redis.start();
    assertThat(command(port, "PING")).isEqualTo("+PONG");
  }

  /** Sends one RESP command and returns the reply up to its last CRLF. */
  static String command(int port, String... args) throws IOException {
    StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      resp.append(arg).append("\r\n");
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      String first = readLine(in);
      // A bulk string reply ($N) carries its payload on the next line.
      return first.startsWith("$") && !first.equals("$-1") ? first + "\r\n" + readLine(in) : first;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r') {
      line.append((char) c);
    }
    in.read(); // the \n after \r
    return line.toString();
  }
}
