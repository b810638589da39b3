package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.routing.RouteTable;
import dev.gatehouse.proxy.upstream.ClusterRuntime;
import java.util.Map;

/**
 * Everything a request reads from configuration, as of one accepted xDS update: route tables by
 * name and running clusters by name. Swapped whole, so a request sees one consistent version from
 * start to end.
 */
public record ProxySnapshot(Map<String, RouteTable> routes, Map<String, ClusterRuntime> clusters) {
  public static final ProxySnapshot EMPTY = new ProxySnapshot(Map.of(), Map.of());

  public ProxySnapshot {
    routes = Map.copyOf(routes);
    clusters = Map.copyOf(clusters);
  }
}
