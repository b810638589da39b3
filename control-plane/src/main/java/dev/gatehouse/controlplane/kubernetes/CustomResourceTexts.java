package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Renders getambassador.io objects as the YAML edge-config's loader reads, and the variant the
 * services get, with the Secrets a Filter names (OAuth2 {@code secretName}, APIKey {@code
 * keys[].secretName}) replaced by their values (the services' config has one document per resource
 * and no place for Secrets).
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
  String text(GenericKubernetesResource object) {
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

  /** The {@code keys[]} entries of an APIKey Filter, or null. */
  @SuppressWarnings("unchecked")
  private static List<Object> apiKeySources(GenericKubernetesResource filter) {
    Object spec = filter.getAdditionalProperties().get("spec");
    Object apiKey = spec instanceof Map<?, ?> map ? map.get("APIKey") : null;
    Object keys = apiKey instanceof Map<?, ?> m ? m.get("keys") : null;
    return keys instanceof List<?> ? (List<Object>) keys : null;
  }

  /**
   * The Filter as the services get it when it names Secrets, for their configuration has one
   * document per resource and no place for Secrets: an OAuth2 {@code secretName} becomes {@code
   * secret} (the value of {@code oauth2-client-secret} in that Secret, in {@code secretNamespace}
   * or the Filter's namespace); each APIKey {@code keys[]} entry with a {@code secretName} becomes
   * one {@code inlineKey} entry per value in that Secret's data (Edge Stack reads every value as a
   * key), in the Filter's namespace. Empty when the Filter names no Secret, or when one is missing,
   * empty or undecodable: that is an error on the Filter, and the services get it as written (and
   * refuse it). Secret values are never logged nor put in an error.
   */
  Optional<GenericKubernetesResource> withSecrets(
      GenericKubernetesResource filter,
      String origin,
      List<ConfigError> problems,
      BiFunction<String, String, Secret> secrets) {
    String where =
        "Filter " + filter.getMetadata().getNamespace() + "/" + filter.getMetadata().getName();
    Map<String, Object> original = oauth2(filter);
    List<Object> originalSources = apiKeySources(filter);
    if ((original == null || !original.containsKey("secretName"))
        && (originalSources == null
            || originalSources.stream()
                .noneMatch(k -> k instanceof Map<?, ?> m && m.containsKey("secretName")))) {
      return Optional.empty();
    }
    boolean changed = false;
    boolean failed = false;
    GenericKubernetesResource copy = serialization.clone(filter);
    Map<String, Object> oauth2 = oauth2(copy);
    if (oauth2 != null && oauth2.get("secretName") instanceof String name) {
      String namespace =
          oauth2.get("secretNamespace") instanceof String ns
              ? ns
              : filter.getMetadata().getNamespace();
      Secret secret = secrets.apply(namespace, name);
      String value = decode(secret == null ? null : secret.getData(), OAUTH2_CLIENT_SECRET);
      if (value == null) {
        problems.add(
            ConfigError.error(
                Source.of(origin),
                where,
                "spec.OAuth2.secretName: Secret "
                    + namespace
                    + "/"
                    + name
                    + " not found (expected: a Secret with the key "
                    + OAUTH2_CLIENT_SECRET
                    + ")"));
        failed = true;
      } else {
        oauth2.remove("secretName");
        oauth2.remove("secretNamespace");
        oauth2.put("secret", value);
        changed = true;
      }
    }
    List<Object> sources = apiKeySources(copy);
    if (sources != null) {
      List<Object> resolved = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        if (!(sources.get(i) instanceof Map<?, ?> source)
            || !(source.get("secretName") instanceof String name)) {
          resolved.add(sources.get(i));
          continue;
        }
        String namespace = filter.getMetadata().getNamespace();
        Secret secret = secrets.apply(namespace, name);
        List<String> keys = new ArrayList<>();
        if (secret != null && secret.getData() != null) {
          for (String key : new TreeMap<>(secret.getData()).keySet()) {
            String value = decode(secret.getData(), key);
            if (value != null && !value.isBlank()) {
              keys.add(value.strip());
            }
          }
        }
        if (keys.isEmpty()) {
          problems.add(
              ConfigError.error(
                  Source.of(origin),
                  where,
                  "spec.APIKey.keys["
                      + i
                      + "].secretName: Secret "
                      + namespace
                      + "/"
                      + name
                      + (secret == null ? " not found" : " holds no key")
                      + " (expected: a Secret whose data values are the API keys)"));
          failed = true;
          continue;
        }
        keys.forEach(key -> resolved.add(Map.of("inlineKey", key)));
        changed = true;
      }
      sources.clear();
      sources.addAll(resolved);
    }
    return changed && !failed ? Optional.of(copy) : Optional.empty();
  }

  /** The decoded value of {@code key} in a Secret's data, or null. Never logged. */
  private static String decode(Map<String, String> data, String key) {
    String value = data == null ? null : data.get(key);
    if (value == null) {
      return null;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
