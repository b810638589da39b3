package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.controlplane.compile.ClusterDirectory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Builds a {@link ClusterDirectory} from the Services, EndpointSlices and Secrets in the cache. */
final class Directories {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private Directories() {}

  static ClusterDirectory of(
      Collection<Service> services, Collection<EndpointSlice> slices, Collection<Secret> secrets) {
    Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    for (EndpointSlice slice : slices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (service != null) {
        slicesByService
            .computeIfAbsent(
                slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
            .add(slice);
      }
    }
    Map<String, ClusterDirectory.KubeService> byName = new HashMap<>();
    for (Service service : services) {
      String namespace = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      String key = namespace + "/" + name;
      List<ClusterDirectory.Port> ports = new ArrayList<>();
      if (service.getSpec() != null && service.getSpec().getPorts() != null) {
        for (ServicePort port : service.getSpec().getPorts()) {
          String portName = port.getName() == null ? "" : port.getName();
          ports.add(
              new ClusterDirectory.Port(
                  portName,
                  port.getPort(),
                  ready(slicesByService.getOrDefault(key, List.of()), portName)));
        }
      }
      byName.put(key, new ClusterDirectory.KubeService(namespace, name, ports));
    }
    Map<String, ClusterDirectory.TlsSecret> tls = new HashMap<>();
    for (Secret secret : secrets) {
      Map<String, String> data = secret.getData();
      if (data == null || !data.containsKey("tls.crt") || !data.containsKey("tls.key")) {
        continue;
      }
      try {
        tls.put(
            secret.getMetadata().getName() + "." + secret.getMetadata().getNamespace(),
            new ClusterDirectory.TlsSecret(
                decode(data.get("tls.crt")), decode(data.get("tls.key"))));
      } catch (IllegalArgumentException e) {
        // Not base64: not a certificate we can serve; a Host naming it is reported as missing.
      }
    }
    return new ClusterDirectory(true, byName, tls);
  }

  /** The ready endpoints of a Service port, from the slices' port of the same name, sorted. */
  private static List<ClusterDirectory.Address> ready(List<EndpointSlice> slices, String portName) {
    TreeSet<ClusterDirectory.Address> out =
        new TreeSet<>(
            Comparator.comparing(ClusterDirectory.Address::ip)
                .thenComparingInt(ClusterDirectory.Address::port));
    for (EndpointSlice slice : slices) {
      if (slice.getPorts() == null || slice.getEndpoints() == null) {
        continue;
      }
      for (EndpointPort port : slice.getPorts()) {
        String name = port.getName() == null ? "" : port.getName();
        if (!name.equals(portName) || port.getPort() == null) {
          continue;
        }
        for (Endpoint endpoint : slice.getEndpoints()) {
          // A missing ready condition means ready (the API's rule).
          boolean ready =
              endpoint.getConditions() == null
                  || !Objects.equals(endpoint.getConditions().getReady(), Boolean.FALSE);
          if (ready && endpoint.getAddresses() != null) {
            endpoint
                .getAddresses()
                .forEach(ip -> out.add(new ClusterDirectory.Address(ip, port.getPort())));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static String decode(String base64) {
    return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
