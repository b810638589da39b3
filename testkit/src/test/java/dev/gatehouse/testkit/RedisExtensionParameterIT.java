package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisExtensionParameterIT {

  @Test
  void extendWithHandsTheRunningServerToTheTest(RedisServer server, RedisExtension extension)
      throws IOException {
    assertThat(server.isRunning()).isTrue();
    assertThat(extension.port()).isEqualTo(server.port());

    assertThat(RedisServerIT.command(server.port(), "PING")).isEqualTo("+PONG");
  }
}
