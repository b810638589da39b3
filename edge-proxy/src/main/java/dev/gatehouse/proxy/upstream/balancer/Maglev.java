package dev.gatehouse.proxy.upstream.balancer;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., 2016), as Envoy's maglev policy: a lookup table of a
 * prime size filled by each endpoint's own permutation in turn, weighted; a request's hash indexes
 * the table. Lookups are O(1) and a removed endpoint disturbs few other entries.
 */
final class Maglev implements LoadBalancer {
  static final int TABLE_SIZE = 65537;

  private final Endpoint[] table;

  Maglev(List<Endpoint> endpoints, int tableSize) {
    int n = endpoints.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    int maxWeight = endpoints.stream().mapToInt(Endpoint::weight).max().orElse(1);
    double[] credit = new double[n];
    for (int i = 0; i < n; i++) {
      String address = endpoints.get(i).address();
      offset[i] = Long.remainderUnsigned(Hashing.hash(address + "#offset"), tableSize);
      skip[i] = Long.remainderUnsigned(Hashing.hash(address + "#skip"), tableSize - 1) + 1;
    }
    table = new Endpoint[tableSize];
    int filled = 0;
    while (filled < tableSize) {
      for (int i = 0; i < n && filled < tableSize; i++) {
        // Weighted Maglev: an endpoint takes a turn only when its credit reaches a whole turn.
        credit[i] += (double) endpoints.get(i).weight() / maxWeight;
        if (credit[i] < 1.0) {
          continue;
        }
        credit[i] -= 1.0;
        int slot;
        do {
          slot = (int) ((offset[i] + next[i] * skip[i]) % tableSize);
          next[i]++;
        } while (table[slot] != null);
        table[slot] = endpoints.get(i);
        filled++;
      }
    }
  }

  @Override
  public Endpoint pick(long hash) {
    return table[(int) Long.remainderUnsigned(hash, table.length)];
  }
}
