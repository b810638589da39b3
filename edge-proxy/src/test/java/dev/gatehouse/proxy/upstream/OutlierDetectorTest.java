package dev.gatehouse.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private final List<Endpoint> endpoints =
      List.of(
          new Endpoint("10.0.0.1", 80, 1),
          new Endpoint("10.0.0.2", 80, 1),
          new Endpoint("10.0.0.3", 80, 1));
  private final ClusterSettings.Outlier settings =
      new ClusterSettings.Outlier(
          3, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 50);
  private final OutlierDetector detector = new OutlierDetector(settings, endpoints);

  @Test
  void aNewEndpointIsAvailable() {
    assertThat(endpoints.get(0).state().available(System.nanoTime())).isTrue();
    assertThat(endpoints.get(0).state().ejected(System.nanoTime())).isFalse();
  }

  @Test
  void consecutive5xxEjectForBaseTimeThenLongerEachTime() {
    long now = System.nanoTime();
    Endpoint first = endpoints.get(0);
    detector.record(first, 500, now);
    detector.record(first, 200, now);
    detector.record(first, 503, now);
    detector.record(first, 503, now);
    assertThat(first.state().ejected(now)).as("a success resets the count").isFalse();

    assertThat(detector.record(first, 502, now)).as("this result ejects").isTrue();
    assertThat(detector.record(first, 502, now)).as("already out: no second ejection").isFalse();

    assertThat(first.state().ejected(now)).isTrue();
    assertThat(first.state().ejected(now + Duration.ofSeconds(29).toNanos())).isTrue();
    assertThat(first.state().ejected(now + Duration.ofSeconds(31).toNanos())).isFalse();

    long later = now + Duration.ofSeconds(31).toNanos();
    for (int i = 0; i < 3; i++) {
      detector.record(first, 0, later);
    }
    assertThat(first.state().ejected(later + Duration.ofSeconds(59).toNanos()))
        .as("second ejection lasts 2x")
        .isTrue();
    assertThat(first.state().ejected(later + Duration.ofSeconds(61).toNanos())).isFalse();
  }

  @Test
  void maxEjectionPercentKeepsEnoughEndpointsIn() {
    long now = System.nanoTime();
    for (Endpoint endpoint : endpoints) {
      for (int i = 0; i < 3; i++) {
        detector.record(endpoint, 500, now);
      }
    }

    long ejected = endpoints.stream().filter(e -> e.state().ejected(now)).count();
    assertThat(ejected).as("50% of 3 rounds down to 1").isEqualTo(1);
  }
}
