package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parsesHostAndPort() {
    assertThat(HostPort.parse("control-plane:18000"))
        .isEqualTo(new HostPort("control-plane", 18000));
  }

  @Test
  void parsesBracketedIpv6AndPrintsItTheSameWay() {
    HostPort address = HostPort.parse("[::1]:18000");

    assertThat(address).isEqualTo(new HostPort("::1", 18000));
    assertThat(address).hasToString("[::1]:18000");
  }

  @Test
  void rejectsAnAddressWithoutPort() {
    assertThatThrownBy(() -> HostPort.parse("control-plane"))
        .hasMessage("control-plane (expected: HOST:PORT)");
    assertThatThrownBy(() -> HostPort.parse("control-plane:"))
        .hasMessage("control-plane: (expected: HOST:PORT)");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(() -> HostPort.parse("control-plane:65536"))
        .hasMessage("port: 65536 (expected: 0..65535)");
    assertThatThrownBy(() -> HostPort.parse("control-plane:x"))
        .hasMessage("control-plane:x (expected: HOST:PORT with a numeric port)");
  }
}
