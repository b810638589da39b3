package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.config.Kind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;

/** The {@code getambassador.io/v3alpha1} custom resources, as the Kubernetes API names them. */
final class AmbassadorKinds {
  static final String GROUP = "getambassador.io";
  static final String VERSION = "v3alpha1";

  private AmbassadorKinds() {}

  /** {@code mappings}, {@code tlscontexts}, {@code filterpolicies}, ... as Emissary's CRDs. */
  static String plural(Kind kind) {
    String lower = kind.yamlName().toLowerCase(Locale.ROOT);
    return lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
  }

  static ResourceDefinitionContext context(Kind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind.yamlName())
        .withPlural(plural(kind))
        .withNamespaced(true)
        .build();
  }
}
