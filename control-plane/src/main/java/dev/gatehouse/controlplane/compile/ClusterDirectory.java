package dev.gatehouse.controlplane.compile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the Kubernetes cluster says about upstreams and certificates: Services with the ready
 * endpoints of each port (from EndpointSlices), and TLS Secrets. Immutable; a new one is built on
 * each change. {@link #NONE} is the directory mode: no Kubernetes, so upstreams stay DNS names and
 * certificates are only referenced by SDS name.
 *
 * @param services by {@code namespace/name}
 * @param secrets TLS certificates by SDS name ({@code name.namespace})
 */
public record ClusterDirectory(
    boolean active, Map<String, KubeService> services, Map<String, TlsSecret> secrets) {

  /** No Kubernetes: the directory mode. */
  public static final ClusterDirectory NONE = new ClusterDirectory(false, Map.of(), Map.of());

  public ClusterDirectory {
    services = Map.copyOf(services);
    secrets = Map.copyOf(secrets);
  }

  /**
   * What a route can depend on: whether Kubernetes is on, which Services exist with which port
   * numbers (all {@link #resolve} reads), and the TLS Secrets. Endpoints are left out: they reach
   * only the load assignments, which are compiled on every call, so scaling a Deployment keeps
   * every compiled route.
   */
  public Object routingView() {
    Map<String, List<Integer>> ports = new java.util.HashMap<>();
    services.forEach(
        (key, service) -> ports.put(key, service.ports().stream().map(Port::port).toList()));
    return List.of(active, ports, secrets);
  }

  /** One Service: its ports, each with the ready endpoints of its target port. */
  public record KubeService(String namespace, String name, List<Port> ports) {
    public KubeService {
      ports = List.copyOf(ports);
    }
  }

  /**
   * A Service port.
   *
   * @param name the port's name ("" when unnamed), which EndpointSlices use to name it too
   * @param endpoints the ready endpoints, sorted
   */
  public record Port(String name, int port, List<Address> endpoints) {
    public Port {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** An endpoint's address and target port. */
  public record Address(String ip, int port) {}

  /** A certificate chain and its key, in PEM. Never printed. */
  public record TlsSecret(String certificateChain, String privateKey) {
    @Override
    public String toString() {
      return "TlsSecret[redacted]";
    }
  }

  /** A Mapping's upstream resolved to a Service port. */
  public record Target(KubeService service, Port port) {
    /** {@code name.namespace:port}: what the cluster is named after. */
    public String id() {
      return service.name() + "." + service.namespace() + ":" + port.port();
    }
  }

  /**
   * Resolves an upstream host as Emissary does: {@code name} (in the Mapping's namespace), {@code
   * name.namespace} or {@code name.namespace.svc[.cluster.local]}. Empty when no such Service is
   * known (the host is then a DNS name).
   *
   * @param portWritten whether the port was written; without it a single-port Service uses its only
   *     port
   * @throws IllegalArgumentException when the Service exists but has no such port
   */
  public Optional<Target> resolve(String host, int port, boolean portWritten, String namespace) {
    if (!active) {
      return Optional.empty();
    }
    String name = host.toLowerCase(java.util.Locale.ROOT);
    name = name.replaceFirst("\\.svc\\.cluster\\.local$", "").replaceFirst("\\.svc$", "");
    String[] parts = name.split("\\.");
    if (parts.length > 2) {
      return Optional.empty();
    }
    String ns = parts.length == 2 ? parts[1] : namespace;
    KubeService service = services.get(ns + "/" + parts[0]);
    if (service == null) {
      return Optional.empty();
    }
    for (Port p : service.ports()) {
      if (p.port() == port) {
        return Optional.of(new Target(service, p));
      }
    }
    if (!portWritten && service.ports().size() == 1) {
      return Optional.of(new Target(service, service.ports().get(0)));
    }
    throw new IllegalArgumentException(
        "Service "
            + ns
            + "/"
            + parts[0]
            + " has no port "
            + port
            + " (expected: one of "
            + service.ports().stream()
                .map(p -> String.valueOf(p.port()))
                .collect(Collectors.joining(", "))
            + ")");
  }
}
