package dev.gatehouse.config.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.IgnoreCase;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SingleOrList;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaGeneratorTest {
  enum Mode {
    @YamlName("Fast")
    FAST,
    SLOW
  }

  @IgnoreCase
  enum Loose {
    A,
    B
  }

  record Inner(@Required String name, AddedLike added) {}

  record AddedLike(String value) {
    public static AddedLike fromScalar(String value) {
      return new AddedLike(value);
    }
  }

  @SnakeCase
  record Sample(
      @Required String serviceName,
      @Default("3000") @Range(min = 0, max = 60000) Integer timeoutMs,
      @Default("true") Boolean enabled,
      @Default("1.5") Double factor,
      @Default("Fast") Mode mode,
      Loose loose,
      Duration maxStale,
      @YamlName("X-Custom") String custom,
      @SingleOrList List<String> ids,
      Map<String, Inner> byName,
      List<Inner> items,
      @Unsupported("not yet") Object legacy) {}

  record Loop(Loop next) {}

  record BadDefault(@Default("yes") Boolean flag) {}

  @Test
  void recordComponentsBecomePropertiesUnderTheirYamlNames() {
    Map<String, Object> schema = SchemaGenerator.schemaOf(Sample.class);
    assertThat(schema).containsEntry("type", "object");
    assertThat(properties(schema))
        .containsOnlyKeys(
            "service_name",
            "timeout_ms",
            "enabled",
            "factor",
            "mode",
            "loose",
            "max_stale",
            "X-Custom",
            "ids",
            "by_name",
            "items",
            "legacy");
    assertThat(schema.get("required")).isEqualTo(List.of("service_name"));
  }

  @Test
  void defaultsAndRangesKeepTheirTypes() {
    Map<String, Object> p = properties(SchemaGenerator.schemaOf(Sample.class));
    assertThat(map(p.get("timeout_ms")))
        .containsEntry("type", "integer")
        .containsEntry("format", "int32")
        .containsEntry("default", 3000L)
        .containsEntry("minimum", 0L)
        .containsEntry("maximum", 60000L);
    assertThat(map(p.get("enabled")))
        .containsEntry("type", "boolean")
        .containsEntry("default", true);
    assertThat(map(p.get("factor"))).containsEntry("type", "number").containsEntry("default", 1.5);
  }

  @Test
  void enumsListTheirYamlSpellingsUnlessCaseIsIgnored() {
    Map<String, Object> p = properties(SchemaGenerator.schemaOf(Sample.class));
    assertThat(map(p.get("mode")))
        .containsEntry("type", "string")
        .containsEntry("enum", List.of("Fast", "slow"))
        .containsEntry("default", "Fast");
    assertThat(map(p.get("loose"))).containsEntry("type", "string").doesNotContainKey("enum");
  }

  @Test
  void shapesTheLoaderChecksItselfAreLeftOpen() {
    Map<String, Object> p = properties(SchemaGenerator.schemaOf(Sample.class));
    assertThat(map(p.get("ids")))
        .containsEntry(SchemaGenerator.PRESERVE, true)
        .doesNotContainKey("type");
    assertThat(map(p.get("legacy")))
        .containsEntry(SchemaGenerator.PRESERVE, true)
        .containsEntry("description", "Accepted and not acted on by Gatehouse: not yet.");
    Map<String, Object> inner = map(map(p.get("by_name")).get("additionalProperties"));
    assertThat(map(properties(inner).get("added"))).containsEntry(SchemaGenerator.PRESERVE, true);
    assertThat(map(map(p.get("items")).get("items"))).containsEntry("required", List.of("name"));
  }

  @Test
  void recursiveRecordsAreRefused() {
    assertThatThrownBy(() -> SchemaGenerator.schemaOf(Loop.class))
        .hasMessageContaining("recursive record");
  }

  @Test
  void aDefaultThatDoesNotFitItsTypeIsRefused() {
    assertThatThrownBy(() -> SchemaGenerator.schemaOf(BadDefault.class))
        .hasMessageContaining("@Default(\"yes\")");
  }

  @Test
  void everyServedKindHasAStructuralSchema() {
    for (Kind kind : Kind.values()) {
      Map<String, Object> crd = CrdGenerator.crd(kind);
      Map<String, Object> spec = map(crd.get("spec"));
      Map<String, Object> version = map(((List<?>) spec.get("versions")).get(0));
      Map<String, Object> root = map(map(version.get("schema")).get("openAPIV3Schema"));
      assertStructural(kind + ": openAPIV3Schema", root);
      assertThat(properties(map(properties(root).get("spec")))).containsKey("ambassador_id");
    }
  }

  @Test
  void printerColumnsShowFieldsTheSpecHas() {
    for (Kind kind : Kind.values()) {
      Map<String, Object> version =
          map(((List<?>) map(CrdGenerator.crd(kind).get("spec")).get("versions")).get(0));
      Map<String, Object> spec =
          map(properties(map(map(version.get("schema")).get("openAPIV3Schema"))).get("spec"));
      for (Object column : (List<?>) version.getOrDefault("additionalPrinterColumns", List.of())) {
        String path = (String) map(column).get("jsonPath");
        if (path.startsWith(".spec.")) {
          assertThat(properties(spec)).as(kind + " " + path).containsKey(path.substring(6));
        }
      }
    }
    Map<String, Object> mapping =
        map(((List<?>) map(CrdGenerator.crd(Kind.MAPPING).get("spec")).get("versions")).get(0));
    assertThat((List<?>) mapping.get("additionalPrinterColumns")).hasSize(4);
  }

  @Test
  void pluralsAreKubernetesResourceNames() {
    assertThat(CrdGenerator.plural(Kind.FILTER_POLICY)).isEqualTo("filterpolicies");
    assertThat(CrdGenerator.plural(Kind.TLS_CONTEXT)).isEqualTo("tlscontexts");
    assertThat(CrdGenerator.plural(Kind.MAPPING)).isEqualTo("mappings");
  }

  @Test
  void outputIsStable() {
    assertThat(CrdGenerator.files()).isEqualTo(CrdGenerator.files());
  }

  /** Kubernetes' rule: every node names its type, unless it keeps unknown fields. */
  private static void assertStructural(String path, Map<String, Object> node) {
    if (!Boolean.TRUE.equals(node.get(SchemaGenerator.PRESERVE))) {
      assertThat(node).as(path).containsKey("type");
    }
    if (node.containsKey("properties")) {
      properties(node).forEach((name, child) -> assertStructural(path + "." + name, map(child)));
    }
    if (node.containsKey("items")) {
      assertStructural(path + "[]", map(node.get("items")));
    }
    if (node.containsKey("additionalProperties")) {
      assertStructural(path + ".*", map(node.get("additionalProperties")));
    }
  }

  private static Map<String, Object> properties(Map<String, Object> schema) {
    return map(schema.get("properties"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
