package dev.gatehouse.proxy.upstream.balancer;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin: each endpoint appears in a fixed cycle as often as its weight, spread out
 * (smooth weighting, so weights 5:1 give A A B A A A rather than A A A A A B); a shared counter
 * walks the cycle, so concurrent pickers never repeat a turn.
 */
final class RoundRobin implements LoadBalancer {
  private final Endpoint[] cycle;
  private final AtomicLong next = new AtomicLong();

  RoundRobin(List<Endpoint> endpoints) {
    this.cycle = smoothCycle(endpoints);
  }

  private static Endpoint[] smoothCycle(List<Endpoint> endpoints) {
    int[] weights = endpoints.stream().mapToInt(Endpoint::weight).toArray();
    int total = java.util.Arrays.stream(weights).sum();
    if (total > 10_000) {
      // Huge weights would make a huge cycle; scale them down, keeping their ratio roughly.
      int divisor = (total + 9_999) / 10_000;
      for (int i = 0; i < weights.length; i++) {
        weights[i] = Math.max(1, weights[i] / divisor);
      }
      total = java.util.Arrays.stream(weights).sum();
    }
    int[] current = new int[weights.length];
    List<Endpoint> order = new ArrayList<>(total);
    for (int turn = 0; turn < total; turn++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      order.add(endpoints.get(best));
    }
    return order.toArray(Endpoint[]::new);
  }

  @Override
  public Endpoint pick(long hash) {
    return cycle[(int) Math.floorMod(next.getAndIncrement(), (long) cycle.length)];
  }
}
