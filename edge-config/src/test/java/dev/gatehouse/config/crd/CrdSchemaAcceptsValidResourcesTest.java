package dev.gatehouse.config.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The generated CRD schemas must accept what the loader accepts, or {@code kubectl apply} would
 * refuse resources that Gatehouse serves: every valid fixture and every example is checked against
 * its kind's schema, the way the API server checks types, enums, bounds, required fields and
 * unknown fields. A small checker of that subset of OpenAPI, enough for these schemas.
 */
class CrdSchemaAcceptsValidResourcesTest {
  private static final List<Path> SOURCES =
      List.of(
          Path.of("src/test/resources/fixtures/valid"),
          Path.of("../examples/quickstart"),
          Path.of("../examples/compose"));

  @Test
  void everyValidResourceFitsItsKindsSchema() throws IOException {
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Path source : SOURCES) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(source)) {
        files = walk.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList();
      }
      for (Path file : files) {
        for (Object document :
            new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
          if (!(document instanceof Map<?, ?> object)
              || !String.valueOf(object.get("apiVersion")).startsWith("getambassador.io/")) {
            continue;
          }
          Kind kind = Kind.fromYaml(String.valueOf(object.get("kind"))).orElse(null);
          if (kind == null) {
            continue;
          }
          String where = file + " " + kind + " " + ((Map<?, ?>) object.get("metadata")).get("name");
          check(where + ": spec", object.get("spec"), specSchema(kind), problems);
          checked++;
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).isGreaterThan(25);
  }

  @Test
  void theCheckerRefusesWhatTheApiServerRefuses() {
    Map<String, Object> mapping = specSchema(Kind.MAPPING);
    List<String> problems = new ArrayList<>();
    check("m", Map.of("prefix", "/", "service", "q", "prefx", "/"), mapping, problems);
    check("m", Map.of("prefix", "/"), mapping, problems);
    check("m", Map.of("prefix", "/", "service", "q", "timeout_ms", "3000"), mapping, problems);
    check("m", Map.of("prefix", "/", "service", "q", "weight", 101L), mapping, problems);
    assertThat(problems)
        .containsExactly(
            "m.prefx: unknown field",
            "m.service: required",
            "m.timeout_ms: \"3000\" (expected: integer)",
            "m.weight: 101 (expected: <= 100)");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specSchema(Kind kind) {
    Map<String, Object> crd = CrdGenerator.crd(kind);
    Map<String, Object> version =
        (Map<String, Object>)
            ((List<?>) ((Map<String, Object>) crd.get("spec")).get("versions")).get(0);
    Map<String, Object> root =
        (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    return (Map<String, Object>) ((Map<String, Object>) root.get("properties")).get("spec");
  }

  @SuppressWarnings("unchecked")
  private static void check(
      String path, Object value, Map<String, Object> schema, List<String> out) {
    if (value == null
        || Boolean.TRUE.equals(schema.get(SchemaGenerator.PRESERVE))
            && !schema.containsKey("type")) {
      return; // the API server prunes nulls of non-nullable fields; open nodes take anything
    }
    String type = (String) schema.get("type");
    switch (type) {
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          out.add(path + ": " + value + " (expected: object)");
          return;
        }
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        Map<String, Object> additional = (Map<String, Object>) schema.get("additionalProperties");
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = String.valueOf(entry.getKey());
          if (properties != null && properties.containsKey(key)) {
            check(
                path + "." + key, entry.getValue(), (Map<String, Object>) properties.get(key), out);
          } else if (additional != null) {
            check(path + "." + key, entry.getValue(), additional, out);
          } else if (!Boolean.TRUE.equals(schema.get(SchemaGenerator.PRESERVE))) {
            out.add(path + "." + key + ": unknown field");
          }
        }
        for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
          if (map.get(required) == null) {
            out.add(path + "." + required + ": required");
          }
        }
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          out.add(path + ": " + value + " (expected: array)");
          return;
        }
        for (int i = 0; i < list.size(); i++) {
          check(path + "[" + i + "]", list.get(i), (Map<String, Object>) schema.get("items"), out);
        }
      }
      case "string" -> {
        if (!(value instanceof String text)) {
          out.add(path + ": " + value + " (expected: string)");
        } else if (schema.containsKey("enum") && !((List<?>) schema.get("enum")).contains(text)) {
          out.add(path + ": \"" + text + "\" (expected: one of " + schema.get("enum") + ")");
        }
      }
      case "integer", "number" -> {
        boolean fits =
            type.equals("integer")
                ? value instanceof Long || value instanceof Integer
                : value instanceof Number;
        if (!fits) {
          out.add(
              path
                  + ": "
                  + (value instanceof String ? "\"" + value + "\"" : value)
                  + " (expected: "
                  + type
                  + ")");
          return;
        }
        double number = ((Number) value).doubleValue();
        if (schema.get("minimum") instanceof Number min && number < min.doubleValue()) {
          out.add(path + ": " + value + " (expected: >= " + min + ")");
        }
        if (schema.get("maximum") instanceof Number max && number > max.doubleValue()) {
          out.add(path + ": " + value + " (expected: <= " + max + ")");
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          out.add(path + ": " + value + " (expected: boolean)");
        }
      }
      default -> out.add(path + ": schema type " + type + " unknown to this checker");
    }
  }
}
