package dev.gatehouse.config.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.traffic.HeaderFormat.Command;
import dev.gatehouse.config.traffic.HeaderFormat.Literal;
import org.junit.jupiter.api.Test;

class HeaderFormatTest {
  @Test
  void splitsLiteralsAndCommandsAndFoldsDoublePercentIntoText() {
    assertThat(HeaderFormat.parse("%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% via lb 100%%"))
        .containsExactly(
            new Command("DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", null),
            new Literal(" via lb 100%"));
    assertThat(HeaderFormat.parse("user=%REQ(X-User)%;%PROTOCOL%"))
        .containsExactly(
            new Literal("user="),
            new Command("REQ", "x-user"),
            new Literal(";"),
            new Command("PROTOCOL", null));
    assertThat(HeaderFormat.parse("plain")).containsExactly(new Literal("plain"));
  }

  @Test
  void refusesALonePercentAndUnknownCommands() {
    assertThatThrownBy(() -> HeaderFormat.parse("50%"))
        .hasMessage(
            "expected: %% for a literal percent sign; the % at character 3 has no closing %");
    assertThatThrownBy(() -> HeaderFormat.parse("%REQ()%"))
        .hasMessageEndingWith("%REQ()% is not supported");
    assertThatThrownBy(() -> HeaderFormat.parse("%REQ(x-a?x-b)%"))
        .as("Envoy's fallback form is not implemented")
        .hasMessageEndingWith("%REQ(x-a?x-b)% is not supported");
    assertThatThrownBy(() -> HeaderFormat.parse("%HOSTNAME%"))
        .hasMessageEndingWith("%HOSTNAME% is not supported");
  }
}
