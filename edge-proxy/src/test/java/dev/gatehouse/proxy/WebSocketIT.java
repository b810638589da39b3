package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Websocket upgrades through the edge, only where a Mapping allows them. */
class WebSocketIT {
  @TempDir Path dir;
  private EdgeStack stack;
  private HttpServer echo;

  @BeforeEach
  void start() throws Exception {
    stack = new EdgeStack(dir);
    echo =
        stack
            .vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo: " + text)))
            .requestHandler(request -> request.response().end("plain"))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    stack.write(
        "ws.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: ws}
        spec:
          prefix: /ws/
          service: 127.0.0.1:%d
          allow_upgrade: [websocket]
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: no-ws}
        spec:
          prefix: /plain/
          service: 127.0.0.1:%d
        """
            .formatted(echo.actualPort(), echo.actualPort()));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> stack.get("/plain/").status() == 200 && stack.get("/ws/").status() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    stack.close();
  }

  @Test
  void aWebsocketIsTunnelledWhereTheMappingAllowsIt() throws Exception {
    WebSocketClient client = stack.vertx.createWebSocketClient();
    WebSocket socket =
        client.connect(stack.httpPort, "127.0.0.1", "/ws/chat").await(10, TimeUnit.SECONDS);
    Promise<String> reply = Promise.promise();
    socket.textMessageHandler(reply::tryComplete);

    socket.writeTextMessage("hello");

    assertThat(reply.future().await(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
    socket.close();
  }

  /**
   * Browsers always offer permessage-deflate. The edge relays the upgrade as a byte tunnel, so the
   * extension is for the client and the upstream to agree on: the edge must neither accept it
   * itself nor compress or inflate frames in between.
   */
  @Test
  void compressionIsNegotiatedEndToEndThroughTheTunnel() throws Exception {
    WebSocketClient client =
        stack.vertx.createWebSocketClient(
            new io.vertx.core.http.WebSocketClientOptions().setTryUsePerMessageCompression(true));
    WebSocket socket =
        client.connect(stack.httpPort, "127.0.0.1", "/ws/chat").await(10, TimeUnit.SECONDS);
    Promise<String> reply = Promise.promise();
    socket.textMessageHandler(reply::tryComplete);

    socket.writeTextMessage("hello, compressed ".repeat(20));

    assertThat(reply.future().await(10, TimeUnit.SECONDS))
        .isEqualTo("echo: " + "hello, compressed ".repeat(20));
    assertThat(socket.headers().get("sec-websocket-extensions")).contains("permessage-deflate");
    socket.close();
  }

  @Test
  void anUpgradeIsRefusedWhereTheMappingDoesNotAllowIt() {
    WebSocketClient client = stack.vertx.createWebSocketClient();

    assertThatThrownBy(
            () ->
                client
                    .connect(stack.httpPort, "127.0.0.1", "/plain/chat")
                    .await(10, TimeUnit.SECONDS))
        .hasMessageContaining("200");
  }
}
