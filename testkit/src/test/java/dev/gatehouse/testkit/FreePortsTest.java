package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void givesDistinctPortsThatCanAllBeBoundAtOnceOnLoopback() throws Exception {
    List<Integer> ports = FreePorts.next(5);

    assertThat(ports)
        .hasSize(5)
        .doesNotHaveDuplicates()
        .allSatisfy(p -> assertThat(p).isPositive());
    List<ServerSocket> bound = new ArrayList<>();
    try {
      for (int port : ports) {
        ServerSocket socket = new ServerSocket();
        bound.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    } finally {
      for (ServerSocket socket : bound) {
        socket.close();
      }
    }
  }

  @Test
  void neverHandsOutTheSamePortTwiceInOneJvm() {
    List<Integer> first = FreePorts.next(3);
    List<Integer> second = FreePorts.next(3);
    int single = FreePorts.next();

    assertThat(second).doesNotContainAnyElementsOf(first);
    assertThat(single).isNotIn(first).isNotIn(second);
  }

  @Test
  void rejectsAskingForNoPorts() {
    assertThatThrownBy(() -> FreePorts.next(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n: 0 (expected: >= 1)");
  }
}
