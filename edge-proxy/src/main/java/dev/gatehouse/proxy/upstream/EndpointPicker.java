package dev.gatehouse.proxy.upstream;

import dev.gatehouse.proxy.upstream.balancer.LoadBalancer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Picks an endpoint among those available (not failed by health checks, not ejected), rebuilding
 * the load balancer only when that set changes. Below the panic threshold it uses every endpoint,
 * as Envoy does, rather than overload the few left; with no endpoint at all it fails with {@link
 * NoHealthyUpstream}.
 */
final class EndpointPicker {
  private record Built(List<Endpoint> over, LoadBalancer balancer) {}

  private final ClusterSettings settings;
  private final AtomicReference<Built> built = new AtomicReference<>();

  EndpointPicker(ClusterSettings settings) {
    this.settings = settings;
  }

  Endpoint pick(long hash, long nowNanos, Endpoint avoid) {
    List<Endpoint> all = settings.endpoints();
    if (all.isEmpty()) {
      throw new NoHealthyUpstream(settings.name());
    }
    List<Endpoint> available = new ArrayList<>(all.size());
    for (Endpoint endpoint : all) {
      if (endpoint.state().available(nowNanos)) {
        available.add(endpoint);
      }
    }
    if (available.size() * 100 < all.size() * settings.healthyPanicThreshold()) {
      available = new ArrayList<>(all); // panic: spread over everything
    } else if (available.isEmpty()) {
      throw new NoHealthyUpstream(settings.name()); // only with the panic threshold at 0
    }
    if (avoid != null && available.size() > 1 && available.contains(avoid)) {
      // A retry goes elsewhere when it can, as Envoy's previous-hosts retry predicate does.
      available.remove(avoid);
    }
    Built current = built.get();
    if (current == null || !current.over().equals(available)) {
      current =
          new Built(List.copyOf(available), LoadBalancer.create(settings.policy(), available));
      built.set(current);
    }
    return current.balancer().pick(hash);
  }
}
