package dev.gatehouse.proxy.upstream.balancer;

import dev.gatehouse.proxy.upstream.Endpoint;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's least_request with equal weights: the power of two choices. Two endpoints at random, the
 * one with fewer requests in flight wins; cheap, and it avoids the herd that a global minimum
 * attracts.
 */
final class LeastRequest implements LoadBalancer {
  private final Endpoint[] endpoints;

  LeastRequest(List<Endpoint> endpoints) {
    this.endpoints = endpoints.toArray(Endpoint[]::new);
  }

  @Override
  public Endpoint pick(long hash) {
    if (endpoints.length == 1) {
      return endpoints[0];
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(endpoints.length);
    int second = random.nextInt(endpoints.length - 1);
    if (second >= first) {
      second++;
    }
    Endpoint a = endpoints[first];
    Endpoint b = endpoints[second];
    return b.state().activeRequests().get() < a.state().activeRequests().get() ? b : a;
  }
}
