package dev.gatehouse.config.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateDurationTest {

  @Test
  void rendersAsGoPrintsATimeDuration() {
    assertThat(new TemplateDuration(0)).hasToString("0s");
    assertThat(TemplateDuration.ofMicros(250_000)).hasToString("250ms");
    assertThat(TemplateDuration.ofMicros(1_500_000)).hasToString("1.5s");
    assertThat(TemplateDuration.ofMicros(90_000_000)).hasToString("1m30s");
    assertThat(TemplateDuration.ofMicros(3_600_000_000L)).hasToString("1h0m0s");
    assertThat(TemplateDuration.ofMicros(1_500)).hasToString("1.5ms");
  }

  @Test
  void templatesReadItsFieldsAndItsJson() {
    Map<String, Object> data = Map.of("RetryAfter", TemplateDuration.ofMicros(59_500_000));

    assertThat(Template.compile("{{ .RetryAfter }}").render(data)).isEqualTo("59.5s");
    assertThat(Template.compile("{{ .RetryAfter.Seconds }}").render(data)).isEqualTo("59.5");
    assertThat(Template.compile("{{ .RetryAfter.Milliseconds }}").render(data)).isEqualTo("59500");
    assertThat(Template.compile("{{ .RetryAfter | json }}").render(data)).isEqualTo("59500000000");
  }

  @Test
  void indexTakesAPositionInAList() {
    Map<String, Object> data = Map.of("Statuses", java.util.List.of(Map.of("Code", 2)));

    assertThat(Template.compile("{{ index .Statuses 0 | json }}").render(data))
        .isEqualTo("{\"Code\":2}");
    assertThat(Template.compile("{{ index .Statuses 1 }}").render(data)).isEmpty();
  }
}
