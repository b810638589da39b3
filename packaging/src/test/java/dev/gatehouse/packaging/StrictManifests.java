package dev.gatehouse.packaging;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Kubernetes manifests into fabric8's typed model, strictly: a field the model does not know
 * is an error, as is a kind it has no class for.
 *
 * <p>fabric8's model classes keep unknown fields in an {@code additionalProperties} map (a Jackson
 * any-setter) instead of failing, so FAIL_ON_UNKNOWN_PROPERTIES alone would let a misspelt {@code
 * readinesProbe} through. The mapper here also drops the any-setter of every bean, so that
 * Jackson's unknown-property check applies to them.
 */
final class StrictManifests {
  private final ObjectMapper mapper;
  private final KubernetesSerialization serialization;

  StrictManifests() {
    mapper = new ObjectMapper(new YAMLFactory());
    serialization = new KubernetesSerialization(mapper, true);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    SimpleModule strict = new SimpleModule("gatehouse-strict");
    strict.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config,
              BeanDescription description,
              BeanDeserializerBuilder builder) {
            if (KubernetesResource.class.isAssignableFrom(description.getBeanClass())
                && !GenericKubernetesResource.class.equals(description.getBeanClass())) {
              builder.setAnySetter(null);
            }
            return builder;
          }
        });
    mapper.registerModule(strict);
  }

  /** Every non-empty YAML document of the text, as typed resources; throws naming the document. */
  List<HasMetadata> parseAll(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    List<JsonNode> documents;
    try (var values = mapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      documents = values.readAll();
    } catch (IOException e) {
      throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
    }
    for (JsonNode document : documents) {
      if (document == null || document.isNull() || document.isMissingNode()) {
        continue;
      }
      out.add(parse(document));
    }
    return out;
  }

  /** One manifest as its typed fabric8 class. */
  HasMetadata parse(JsonNode document) {
    String what = document.path("kind").asText() + " " + document.path("metadata").path("name");
    Object resource;
    try {
      resource = serialization.unmarshal(mapper.writeValueAsString(document));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(what + ": " + rootMessage(e), e);
    }
    if (resource == null || resource instanceof GenericKubernetesResource) {
      throw new IllegalArgumentException(
          what + ": apiVersion " + document.path("apiVersion") + " (expected: a typed kind)");
    }
    return (HasMetadata) resource;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
