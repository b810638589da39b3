package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Renders getambassador.io objects as the YAML edge-config's loader reads, and the variant the
 * services get, with an OAuth2 Filter's {@code secretName} replaced by the Secret's value (the
 * services' config has one document per resource and no place for Secrets).
 */
final class CustomResourceTexts {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final KubernetesSerialization serialization;

  CustomResourceTexts(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /**
   * The object as the user wrote it: apiVersion, kind, name, namespace, labels, annotations (not
   * kubectl's copy of the last applied object) and spec. Status and server fields are left out.
   */
  String text(GenericKubernetesResource object, String oauth2Secret) {
    if (oauth2Secret != null) {
      object = serialization.clone(object);
      Map<String, Object> oauth2 = oauth2(object);
      oauth2.remove("secretName");
      oauth2.remove("secretNamespace");
      oauth2.put("secret", oauth2Secret);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", object.getMetadata().getName());
    metadata.put("namespace", object.getMetadata().getNamespace());
    if (object.getMetadata().getLabels() != null && !object.getMetadata().getLabels().isEmpty()) {
      metadata.put("labels", object.getMetadata().getLabels());
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (object.getMetadata().getAnnotations() != null) {
      annotations.putAll(object.getMetadata().getAnnotations());
      annotations.remove(LAST_APPLIED);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", object.getApiVersion());
    out.put("kind", object.getKind());
    out.put("metadata", metadata);
    if (object.getAdditionalProperties().containsKey("spec")) {
      out.put("spec", object.getAdditionalProperties().get("spec"));
    }
    return serialization.asYaml(out);
  }

  /** The key of an OAuth2 client secret in its Secret, as Edge Stack names it. */
  static final String OAUTH2_CLIENT_SECRET = "oauth2-client-secret";

  @SuppressWarnings("unchecked")
  private static Map<String, Object> oauth2(GenericKubernetesResource filter) {
    Object spec = filter.getAdditionalProperties().get("spec");
    Object oauth2 = spec instanceof Map<?, ?> map ? map.get("OAuth2") : null;
    return oauth2 instanceof Map<?, ?> ? (Map<String, Object>) oauth2 : null;
  }

  /**
   * The client secret an OAuth2 Filter's {@code secretName} names ({@code oauth2-client-secret} of
   * that Secret, in {@code secretNamespace} or the Filter's namespace); a missing one is an error
   * on the Filter. Never logged.
   */
  Optional<String> oauth2Secret(
      GenericKubernetesResource filter,
      String origin,
      List<ConfigError> problems,
      BiFunction<String, String, Secret> secrets) {
    Map<String, Object> oauth2 = oauth2(filter);
    if (oauth2 == null || !(oauth2.get("secretName") instanceof String name)) {
      return Optional.empty();
    }
    String namespace =
        oauth2.get("secretNamespace") instanceof String ns
            ? ns
            : filter.getMetadata().getNamespace();
    Secret secret = secrets.apply(namespace, name);
    String value =
        secret == null || secret.getData() == null
            ? null
            : secret.getData().get(OAUTH2_CLIENT_SECRET);
    if (value == null) {
      problems.add(
          ConfigError.error(
              Source.of(origin),
              "Filter "
                  + filter.getMetadata().getNamespace()
                  + "/"
                  + filter.getMetadata().getName(),
              "spec.OAuth2.secretName: Secret "
                  + namespace
                  + "/"
                  + name
                  + " not found (expected: a Secret with the key "
                  + OAUTH2_CLIENT_SECRET
                  + ")"));
      return Optional.empty();
    }
    try {
      return Optional.of(
          new String(
              java.util.Base64.getMimeDecoder().decode(value),
              java.nio.charset.StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
