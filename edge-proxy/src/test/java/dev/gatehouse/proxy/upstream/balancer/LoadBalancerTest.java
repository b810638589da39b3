package dev.gatehouse.proxy.upstream.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadBalancerTest {
  private static List<Endpoint> endpoints(int... weights) {
    return IntStream.range(0, weights.length)
        .mapToObj(i -> new Endpoint("10.0.0." + (i + 1), 8080, weights[i]))
        .toList();
  }

  private static Map<Endpoint, Integer> spread(LoadBalancer balancer, int picks) {
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(balancer.pick(Hashing.hash("key-" + i)), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinFollowsWeightsSmoothly() {
    List<Endpoint> endpoints = endpoints(5, 1);
    LoadBalancer balancer = LoadBalancer.create(LoadBalancer.Policy.ROUND_ROBIN, endpoints);

    List<Endpoint> firstCycle = IntStream.range(0, 6).mapToObj(i -> balancer.pick(0)).toList();

    assertThat(firstCycle).filteredOn(endpoints.get(1)::equals).hasSize(1);
    assertThat(firstCycle.subList(0, 2))
        .as("the light endpoint is not left to the end")
        .doesNotContain(endpoints.get(1))
        .hasSize(2);
    assertThat(firstCycle.get(5)).isNotEqualTo(endpoints.get(1));
    assertThat(spread(balancer, 600))
        .containsEntry(endpoints.get(0), 500)
        .containsEntry(endpoints.get(1), 100);
  }

  @Test
  void roundRobinWithEqualWeightsAlternates() {
    List<Endpoint> endpoints = endpoints(1, 1, 1);
    LoadBalancer balancer = LoadBalancer.create(LoadBalancer.Policy.ROUND_ROBIN, endpoints);

    assertThat(IntStream.range(0, 6).mapToObj(i -> balancer.pick(0)).toList())
        .containsExactly(
            endpoints.get(0),
            endpoints.get(1),
            endpoints.get(2),
            endpoints.get(0),
            endpoints.get(1),
            endpoints.get(2));
  }

  @Test
  void leastRequestPrefersTheLessBusyOfTwo() {
    List<Endpoint> endpoints = endpoints(1, 1);
    endpoints.get(0).state().activeRequests().set(10);
    LoadBalancer balancer = LoadBalancer.create(LoadBalancer.Policy.LEAST_REQUEST, endpoints);

    assertThat(spread(balancer, 100)).containsOnlyKeys(endpoints.get(1));
  }

  @ParameterizedTest
  @EnumSource(names = {"RING_HASH", "MAGLEV"})
  void hashingPoliciesAreStableAndFollowWeights(LoadBalancer.Policy policy) {
    List<Endpoint> endpoints = endpoints(1, 1, 2);
    LoadBalancer balancer = LoadBalancer.create(policy, endpoints);

    assertThat(balancer.pick(Hashing.hash("session-42")))
        .isSameAs(LoadBalancer.create(policy, endpoints).pick(Hashing.hash("session-42")));
    Map<Endpoint, Integer> counts = spread(balancer, 40_000);
    assertThat(counts.get(endpoints.get(0)) / 40_000.0).isCloseTo(0.25, within(0.05));
    assertThat(counts.get(endpoints.get(2)) / 40_000.0).isCloseTo(0.50, within(0.05));
  }

  @ParameterizedTest
  @EnumSource(names = {"RING_HASH", "MAGLEV"})
  void removingAnEndpointMovesLittleMoreThanItsOwnKeys(LoadBalancer.Policy policy) {
    List<Endpoint> four = endpoints(1, 1, 1, 1);
    LoadBalancer before = LoadBalancer.create(policy, four);
    LoadBalancer after = LoadBalancer.create(policy, four.subList(0, 3));

    int moved = 0;
    int keys = 20_000;
    for (int i = 0; i < keys; i++) {
      long hash = Hashing.hash("user-" + i);
      Endpoint was = before.pick(hash);
      if (!was.equals(four.get(3)) && !was.equals(after.pick(hash))) {
        moved++;
      }
    }
    // Keys of the surviving endpoints should stay put; Maglev allows a little churn.
    assertThat(moved / (double) keys).isLessThan(0.05);
  }
}
