package dev.gatehouse.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
    "300ms, PT0.3S",
    "1.5h, PT1H30M",
    "2h45m, PT2H45M",
    "0, PT0S",
    "-1.5s, PT-1.5S",
    "1m30s, PT1M30S",
    "100us, PT0.0001S",
    "10ns, PT0.00000001S",
    ".5s, PT0.5S"
  })
  void parsesWhatGoParseDurationAccepts(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "2d", "10 minutes", "1h-30m", "s", ".s", "1x"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"PT1H30M, 1h30m", "PT0.25S, 250ms", "PT0S, 0s", "PT1.5S, 1.5s", "PT-2M, -2m"})
  void formatsTheShortestGoForm(Duration duration, String expected) {
    assertThat(GoDuration.format(duration)).isEqualTo(expected);
    assertThat(GoDuration.parse(expected)).isEqualTo(duration);
  }
}
