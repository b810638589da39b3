package dev.gatehouse.proxy.routing;

import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RouteConfiguration} compiled for matching: virtual hosts chosen by authority as Envoy
 * chooses them (exact domain, then the longest {@code *.suffix}, then the longest {@code prefix*},
 * then {@code *}; ports ignored), then the first route of that host that matches. Immutable; built
 * once per RDS update and swapped in whole.
 */
public final class RouteTable {
  /** A virtual host, its compiled routes in order, and its own header operations. */
  public record Host(
      VirtualHost virtualHost,
      List<CompiledRoute> routes,
      HeaderOps requestHeaders,
      HeaderOps responseHeaders) {}

  /** The host and route a request matched. */
  public record Match(Host host, CompiledRoute route) {}

  private record Wildcard(String affix, Host host) {}

  private final String name;
  private final HeaderOps requestHeaders;
  private final HeaderOps responseHeaders;
  private final Map<String, Host> exact = new HashMap<>();
  private final List<Wildcard> suffixes = new ArrayList<>();
  private final List<Wildcard> prefixes = new ArrayList<>();
  private Host any;
  private final List<Host> hosts = new ArrayList<>();
  private final Map<Host, RouteIndex> indexes = new java.util.IdentityHashMap<>();

  private RouteTable(RouteConfiguration config) {
    this.name = config.getName();
    String top = "route_configuration " + name;
    this.requestHeaders =
        HeaderOps.compile(
            config.getRequestHeadersToAddList(), config.getRequestHeadersToRemoveList(), top);
    this.responseHeaders =
        HeaderOps.compile(
            config.getResponseHeadersToAddList(), config.getResponseHeadersToRemoveList(), top);
    for (VirtualHost virtualHost : config.getVirtualHostsList()) {
      String where = top + ": virtual_host " + virtualHost.getName();
      FilterOverrides hostOverrides =
          ActionCompiler.overrides(virtualHost.getTypedPerFilterConfigMap(), where);
      List<CompiledRoute> routes = new ArrayList<>();
      for (int i = 0; i < virtualHost.getRoutesCount(); i++) {
        var route = virtualHost.getRoutes(i);
        String at = where + ": route " + (route.getName().isEmpty() ? "#" + i : route.getName());
        routes.add(new CompiledRoute(route, hostOverrides, at));
      }
      Host host =
          new Host(
              virtualHost,
              List.copyOf(routes),
              HeaderOps.compile(
                  virtualHost.getRequestHeadersToAddList(),
                  virtualHost.getRequestHeadersToRemoveList(),
                  where),
              HeaderOps.compile(
                  virtualHost.getResponseHeadersToAddList(),
                  virtualHost.getResponseHeadersToRemoveList(),
                  where));
      hosts.add(host);
      indexes.put(host, new RouteIndex(host.routes()));
      for (String domain : virtualHost.getDomainsList()) {
        addDomain(domain.toLowerCase(Locale.ROOT), host, where);
      }
    }
    Comparator<Wildcard> longestFirst =
        Comparator.comparingInt((Wildcard w) -> w.affix().length()).reversed();
    suffixes.sort(longestFirst);
    prefixes.sort(longestFirst);
  }

  public static RouteTable compile(RouteConfiguration config) {
    return new RouteTable(config);
  }

  public String name() {
    return name;
  }

  /** Every virtual host, in configuration order. */
  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  /** The configuration-wide request header operations, applied after the host's and route's. */
  public HeaderOps requestHeaders() {
    return requestHeaders;
  }

  public HeaderOps responseHeaders() {
    return responseHeaders;
  }

  private void addDomain(String domain, Host host, String where) {
    boolean duplicate;
    if (domain.equals("*")) {
      duplicate = any != null;
      any = host;
    } else if (domain.startsWith("*")) {
      duplicate = suffixes.stream().anyMatch(w -> w.affix().equals(domain.substring(1)));
      suffixes.add(new Wildcard(domain.substring(1), host));
    } else if (domain.endsWith("*")) {
      duplicate =
          prefixes.stream()
              .anyMatch(w -> w.affix().equals(domain.substring(0, domain.length() - 1)));
      prefixes.add(new Wildcard(domain.substring(0, domain.length() - 1), host));
    } else {
      duplicate = exact.putIfAbsent(domain, host) != null;
    }
    if (duplicate) {
      // Envoy rejects a RouteConfiguration that lists a domain twice; so do we.
      throw new XdsException(
          where + ": domain \"" + domain + "\" is already used by another virtual host");
    }
  }

  /**
   * The virtual host for an authority. The port is dropped first, as Envoy does with the HTTP
   * connection manager's {@code strip_any_host_port}, which the control plane sets: a client that
   * writes {@code example.com:8080} reaches the {@code example.com} host.
   */
  public Optional<Host> host(String authority) {
    String lower = authority.toLowerCase(Locale.ROOT);
    int colon = lower.lastIndexOf(':');
    if (colon > 0 && lower.lastIndexOf(']') < colon) {
      lower = lower.substring(0, colon);
    }
    Host host = lookup(lower);
    return Optional.ofNullable(host != null ? host : any);
  }

  private Host lookup(String authority) {
    Host host = exact.get(authority);
    if (host != null) {
      return host;
    }
    for (Wildcard suffix : suffixes) {
      // Envoy's wildcards need at least one character in place of the '*'.
      if (authority.length() > suffix.affix().length() && authority.endsWith(suffix.affix())) {
        return suffix.host();
      }
    }
    for (Wildcard prefix : prefixes) {
      if (authority.length() > prefix.affix().length() && authority.startsWith(prefix.affix())) {
        return prefix.host();
      }
    }
    return null;
  }

  /** The first route that matches, in the virtual host the authority selects. */
  public Optional<Match> match(RouteRequest request) {
    Optional<Host> host = host(request.authority());
    if (host.isEmpty()) {
      return Optional.empty();
    }
    CompiledRoute route = indexes.get(host.get()).first(request);
    return route == null ? Optional.empty() : Optional.of(new Match(host.get(), route));
  }
}
