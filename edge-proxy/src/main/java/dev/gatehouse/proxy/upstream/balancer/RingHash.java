package dev.gatehouse.proxy.upstream.balancer;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on a ring, as Envoy's ring_hash: each endpoint gets points on the ring in
 * proportion to its weight, and a request goes to the first point at or after its hash.
 *
 * <p>Unlike Envoy, which rescales every endpoint's points so the ring keeps its minimum size, an
 * endpoint always gets {@link #POINTS_PER_WEIGHT} points per unit of weight (fewer only past a
 * million points in all): removing an endpoint then moves only the keys it held, which is what
 * session affinity is for.
 */
final class RingHash implements LoadBalancer {
  static final int POINTS_PER_WEIGHT = 256;
  static final int MAXIMUM_RING_SIZE = 1 << 20;

  private final long[] points;
  private final Endpoint[] owners;

  RingHash(List<Endpoint> endpoints) {
    int totalWeight = endpoints.stream().mapToInt(Endpoint::weight).sum();
    int perWeight = Math.max(1, Math.min(POINTS_PER_WEIGHT, MAXIMUM_RING_SIZE / totalWeight));
    int size = perWeight * totalWeight;
    long[][] entries = new long[size][2];
    int at = 0;
    for (int e = 0; e < endpoints.size(); e++) {
      Endpoint endpoint = endpoints.get(e);
      for (int i = 0; i < perWeight * endpoint.weight(); i++) {
        entries[at][0] = Hashing.hash(endpoint.address() + "_" + i);
        entries[at][1] = e;
        at++;
      }
    }
    Arrays.sort(entries, (x, y) -> Long.compareUnsigned(x[0], y[0]));
    points = new long[size];
    owners = new Endpoint[size];
    for (int i = 0; i < size; i++) {
      points[i] = entries[i][0];
      owners[i] = endpoints.get((int) entries[i][1]);
    }
  }

  @Override
  public Endpoint pick(long hash) {
    int low = 0;
    int high = points.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (Long.compareUnsigned(points[middle], hash) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return owners[low == points.length ? 0 : low];
  }
}
