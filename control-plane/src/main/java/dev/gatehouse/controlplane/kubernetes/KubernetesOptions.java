package dev.gatehouse.controlplane.kubernetes;

import java.time.Duration;
import java.util.Objects;

/**
 * How the control plane reads Kubernetes.
 *
 * @param namespace the one namespace to watch, or null for all
 * @param ingressClass the IngressClass name (or legacy {@code kubernetes.io/ingress.class}
 *     annotation) whose Ingresses are served
 * @param statusAddress the load balancer's address (IP or host name) that the leader writes into
 *     served Ingresses' status, or null to write none
 * @param quietPeriod how long the cluster must be quiet after a change before it is applied, so a
 *     burst of changes (kubectl apply -f dir) makes one configuration
 */
public record KubernetesOptions(
    String namespace, String ingressClass, String statusAddress, Duration quietPeriod) {

  /** Emissary's default IngressClass name. */
  public static final String DEFAULT_INGRESS_CLASS = "ambassador";

  public KubernetesOptions {
    Objects.requireNonNull(ingressClass, "ingressClass");
    Objects.requireNonNull(quietPeriod, "quietPeriod");
    if (quietPeriod.isNegative()) {
      throw new IllegalArgumentException("quietPeriod: " + quietPeriod + " (expected: >= 0)");
    }
  }

  /** Every namespace, the {@code ambassador} class, no status address, 100 ms of quiet. */
  public static KubernetesOptions defaults() {
    return new KubernetesOptions(null, DEFAULT_INGRESS_CLASS, null, Duration.ofMillis(100));
  }
}
