package dev.gatehouse.ratelimit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ratelimit.config.Algorithm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic both stores share, on the corners the gRPC suites do not reach. */
class MemoryStoreTest {
  private static final long START = 1_700_000_100L * 1_000_000L;

  private final MemoryStore store = new MemoryStore(() -> START);

  private static Hit hit(Algorithm algorithm, long limit, long hits) {
    return new Hit("k_", algorithm, limit, 60, Math.max(1, limit), hits, true);
  }

  private Verdict apply(long now, Hit hit) {
    return store.applyNow(List.of(hit), now).get(0);
  }

  @Test
  void limitOfZeroDeniesEveryHitButAdmitsACheck() {
    for (Algorithm algorithm : Algorithm.values()) {
      assertThat(apply(START, hit(algorithm, 0, 1)).allowed()).as(algorithm.name()).isFalse();
      assertThat(apply(START, hit(algorithm, 0, 0)).allowed()).as(algorithm.name()).isTrue();
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void slidingWindowSaysWhenTheEstimateDropsEnoughForOneMore() {
    for (int i = 0; i < 10; i++) {
      apply(START, hit(Algorithm.SLIDING_WINDOW, 10, 1));
    }
    // 30 s into the next window half of the 10 still count; 10 more now: 15 > 10.
    long next = START + 60_000_000L + 30_000_000L;
    Verdict half = apply(next, hit(Algorithm.SLIDING_WINDOW, 10, 5));
    assertThat(half.allowed()).isTrue();
    Verdict denied = apply(next, hit(Algorithm.SLIDING_WINDOW, 10, 1));
    assertThat(denied.allowed()).isFalse();
    // 5 + 10 × w + 1 <= 10 once w <= 0.4: 36 s into the window, 6 s from now.
    assertThat(denied.retryMicros()).isEqualTo(6_000_000L);
  }

  @Test
  void deniedRequestWritesNothingAndAShadowHitDoesNotDeny() {
    Hit enforced = new Hit("a_", Algorithm.FIXED_WINDOW, 1, 60, 1, 2, true);
    Hit other = new Hit("b_", Algorithm.FIXED_WINDOW, 5, 60, 5, 2, true);
    List<Verdict> denied = store.applyNow(List.of(enforced, other), START);
    assertThat(denied).extracting(Verdict::allowed).containsExactly(false, true);
    assertThat(denied.get(1).remaining()).isEqualTo(5);
    assertThat(store.size()).isZero();

    Hit shadow = new Hit("a_", Algorithm.FIXED_WINDOW, 1, 60, 1, 2, false);
    List<Verdict> admitted = store.applyNow(List.of(shadow, other), START);
    assertThat(admitted).extracting(Verdict::allowed).containsExactly(false, true);
    assertThat(admitted.get(1).remaining()).isEqualTo(3);
    assertThat(store.size()).isEqualTo(2);
  }
}
