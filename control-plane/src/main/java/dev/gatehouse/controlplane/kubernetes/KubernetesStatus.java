package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.controlplane.ConfigState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the control plane thinks of each object into its status, as Emissary does; only the
 * leader calls it. A getambassador.io resource with errors gets {@code status: {state: Inactive,
 * reason: <the errors>}} ({@code Error} for a Host); once fixed, {@code Running} ({@code Ready}).
 * Written through the status subresource, only when it differs from what the object has, and only
 * for this installation's resources (its {@code ambassador_id}). Served Ingresses get the
 * configured address in {@code status.loadBalancer.ingress}.
 */
public final class KubernetesStatus {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatus.class);
  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");

  private final KubernetesSource source;
  private final String ambassadorId;

  public KubernetesStatus(KubernetesSource source, String ambassadorId) {
    this.source = source;
    this.ambassadorId = ambassadorId;
  }

  /** Brings every status up to date with an applied configuration. */
  public void write(ConfigState state) {
    Map<String, List<String>> errors = new TreeMap<>();
    List<ConfigError> problems = new ArrayList<>(state.loaded().problems());
    problems.addAll(state.compiled().problems());
    for (ConfigError problem : problems) {
      if (problem.isError() && problem.source().origin().startsWith("kubernetes:")) {
        errors
            .computeIfAbsent(problem.source().origin(), o -> new ArrayList<>())
            .add(reason(problem));
      }
    }
    for (Kind kind : Kind.values()) {
      for (GenericKubernetesResource object : source.objects(kind)) {
        if (ours(object)) {
          resource(kind, object, errors.get(KubernetesSource.origin(kind.yamlName(), object)));
        }
      }
    }
    String address = source.options().statusAddress();
    if (address != null) {
      source.ourIngresses().forEach(i -> ingress(i, address));
    }
  }

  private static String reason(ConfigError problem) {
    return (problem.source().line() > 0 ? "line " + problem.source().line() + ": " : "")
        + problem.message();
  }

  private void resource(Kind kind, GenericKubernetesResource object, List<String> errors) {
    boolean host = kind == Kind.HOST;
    Object current = object.getAdditionalProperties().get("status");
    String currentState =
        current instanceof Map<?, ?> map && map.get("state") instanceof String s ? s : null;
    Map<String, Object> desired = new LinkedHashMap<>();
    if (errors != null) {
      desired.put("state", host ? "Error" : "Inactive");
      desired.put("reason", String.join("; ", errors));
    } else if ("Inactive".equals(currentState) || "Error".equals(currentState)) {
      desired.put("state", host ? "Ready" : "Running");
    } else {
      return;
    }
    if (Objects.equals(current, desired)) {
      return;
    }
    GenericKubernetesResource updated = source.client().getKubernetesSerialization().clone(object);
    updated.getAdditionalProperties().put("status", desired);
    try {
      source
          .client()
          .genericKubernetesResources(AmbassadorKinds.context(kind))
          .inNamespace(object.getMetadata().getNamespace())
          .resource(updated)
          .updateStatus();
      LOG.info(
          "status of {} {}/{}: {}",
          kind,
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          desired.get("state"));
    } catch (KubernetesClientException e) {
      // A conflict or a missing permission: the next change tries again.
      LOG.warn(
          "cannot write the status of {} {}/{}: {}",
          kind,
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Whether the object is for this installation (its spec.ambassador_id, "default" if none). */
  private boolean ours(GenericKubernetesResource object) {
    Object spec = object.getAdditionalProperties().get("spec");
    Object ids = spec instanceof Map<?, ?> map ? map.get("ambassador_id") : null;
    if (ids == null) {
      return ambassadorId.equals("default");
    }
    List<?> list = ids instanceof List<?> l ? l : List.of(ids);
    return list.contains(ambassadorId) || list.contains("_automatic_");
  }

  private void ingress(Ingress ingress, String address) {
    IngressLoadBalancerIngress entry =
        IP.matcher(address).matches()
            ? new IngressLoadBalancerIngressBuilder().withIp(address).build()
            : new IngressLoadBalancerIngressBuilder().withHostname(address).build();
    List<IngressLoadBalancerIngress> current =
        ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
            ? null
            : ingress.getStatus().getLoadBalancer().getIngress();
    if (List.of(entry).equals(current)) {
      return;
    }
    Ingress updated =
        new IngressBuilder(ingress)
            .withNewStatus()
            .withNewLoadBalancer()
            .withIngress(entry)
            .endLoadBalancer()
            .endStatus()
            .build();
    try {
      source
          .client()
          .network()
          .v1()
          .ingresses()
          .inNamespace(ingress.getMetadata().getNamespace())
          .resource(updated)
          .updateStatus();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot write the status of Ingress {}/{}: {}",
          ingress.getMetadata().getNamespace(),
          ingress.getMetadata().getName(),
          e.getMessage());
    }
  }
}
