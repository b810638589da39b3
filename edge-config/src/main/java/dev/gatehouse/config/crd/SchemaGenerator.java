package dev.gatehouse.config.crd;

import dev.gatehouse.config.yaml.BindWith;
import dev.gatehouse.config.yaml.Binder;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.IgnoreCase;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Re2;
import dev.gatehouse.config.yaml.RecordShape;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SingleOrList;
import dev.gatehouse.config.yaml.Unsupported;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a structural OpenAPI v3 schema, as Kubernetes CRDs need it, from a configuration record:
 * its components by {@link RecordShape} (so YAML names are the binder's), {@link Required} as
 * {@code required}, {@link Default} as {@code default}, {@link Range} as bounds, enums as their
 * YAML spellings.
 *
 * <p>Shapes that a structural schema cannot state exactly are left open with {@code
 * x-kubernetes-preserve-unknown-fields} and checked by Gatehouse's own loader, which reports them
 * with their field path: {@link SingleOrList} fields (a value or a list), records that also read a
 * bare scalar ({@code fromScalar}), types with their own {@link BindWith} binder, untyped {@code
 * Object} values and {@link Unsupported} fields.
 */
public final class SchemaGenerator {
  static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";

  private final Deque<Class<?>> path = new ArrayDeque<>();

  private SchemaGenerator() {}

  /** The schema of a record type, as an ordered map ready to be written as YAML. */
  public static Map<String, Object> schemaOf(Class<? extends Record> type) {
    return new SchemaGenerator().recordSchema(type);
  }

  private Map<String, Object> schema(Type type) {
    Class<?> raw = rawClass(type);
    if (raw.isAnnotationPresent(BindWith.class)) {
      return open("Checked by Gatehouse when it loads the resource.");
    }
    if (List.class.equals(raw)) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "array");
      out.put("items", schema(typeArgument(type, 0)));
      return out;
    }
    if (Map.class.equals(raw)) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "object");
      out.put("additionalProperties", schema(typeArgument(type, 1)));
      return out;
    }
    if (raw.isRecord()) {
      if (hasFromScalar(raw)) {
        return open(
            "A string, or a map with "
                + String.join(", ", yamlNames(raw))
                + "; checked by Gatehouse when it loads the resource.");
      }
      return recordSchema(raw);
    }
    return scalarSchema(raw);
  }

  private Map<String, Object> recordSchema(Class<?> type) {
    if (path.contains(type)) {
      throw new IllegalStateException(
          "recursive record " + type.getName() + " (a CRD schema cannot refer to itself)");
    }
    path.push(type);
    try {
      Map<String, Object> properties = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      for (RecordShape.Field field : RecordShape.of(type).fields()) {
        properties.put(field.yamlName(), fieldSchema(field));
        if (field.annotation(Required.class) != null) {
          required.add(field.yamlName());
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "object");
      if (!required.isEmpty()) {
        out.put("required", required);
      }
      out.put("properties", properties);
      return out;
    } finally {
      path.pop();
    }
  }

  private Map<String, Object> fieldSchema(RecordShape.Field field) {
    Unsupported unsupported = field.annotation(Unsupported.class);
    if (unsupported != null) {
      return open("Accepted and not acted on by Gatehouse: " + unsupported.value() + ".");
    }
    Type type = field.component().getGenericType();
    if (field.annotation(SingleOrList.class) != null) {
      return open("One value or a list of them; checked by Gatehouse when it loads the resource.");
    }
    Map<String, Object> out = schema(type);
    Range range = field.annotation(Range.class);
    if (range != null) {
      if (range.min() != Long.MIN_VALUE) {
        out.put("minimum", range.min());
      }
      if (range.max() != Long.MAX_VALUE) {
        out.put("maximum", range.max());
      }
    }
    Default fallback = field.annotation(Default.class);
    if (fallback != null) {
      out.put("default", defaultValue(fallback.value(), rawClass(type), field));
    }
    Re2 re2 = field.annotation(Re2.class);
    if (re2 != null) {
      String what = Map.class.equals(rawClass(type)) ? "Each value is" : "Is";
      out.put(
          "description",
          re2.when().isEmpty()
              ? what + " an RE2 regular expression."
              : what + " an RE2 regular expression when " + re2.when() + " is true.");
    }
    return out;
  }

  private static Map<String, Object> scalarSchema(Class<?> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (String.class.equals(raw)) {
      out.put("type", "string");
    } else if (Boolean.class.equals(raw) || boolean.class.equals(raw)) {
      out.put("type", "boolean");
    } else if (Integer.class.equals(raw) || int.class.equals(raw)) {
      out.put("type", "integer");
      out.put("format", "int32");
    } else if (Long.class.equals(raw) || long.class.equals(raw)) {
      out.put("type", "integer");
      out.put("format", "int64");
    } else if (Double.class.equals(raw) || double.class.equals(raw)) {
      out.put("type", "number");
      out.put("format", "double");
    } else if (Duration.class.equals(raw)) {
      out.put("type", "string");
      out.put("description", "A duration such as 30s, 5m or 1h30m.");
    } else if (raw.isEnum()) {
      List<String> names =
          Arrays.stream(raw.getEnumConstants()).map(c -> Binder.enumName((Enum<?>) c)).toList();
      out.put("type", "string");
      if (raw.isAnnotationPresent(IgnoreCase.class)) {
        // An enum list would reject the other spellings that the loader accepts.
        out.put("description", "One of " + String.join(", ", names) + ", in any case.");
      } else {
        out.put("enum", names);
      }
    } else if (Object.class.equals(raw)) {
      return open(null);
    } else {
      throw new IllegalStateException("no CRD schema for " + raw.getName());
    }
    return out;
  }

  private static Object defaultValue(String text, Class<?> raw, RecordShape.Field field) {
    try {
      if (Boolean.class.equals(raw)) {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException(text);
        }
        return Boolean.valueOf(text);
      }
      if (Integer.class.equals(raw) || Long.class.equals(raw)) {
        return Long.parseLong(text);
      }
      if (Double.class.equals(raw)) {
        return Double.parseDouble(text);
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "@Default(\"" + text + "\") on " + field.component() + " does not fit its type", e);
    }
  }

  private static Map<String, Object> open(String description) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (description != null) {
      out.put("description", description);
    }
    out.put(PRESERVE, true);
    return out;
  }

  private static List<String> yamlNames(Class<?> record) {
    return RecordShape.of(record).fields().stream().map(RecordShape.Field::yamlName).toList();
  }

  private static boolean hasFromScalar(Class<?> type) {
    try {
      return Modifier.isStatic(type.getMethod("fromScalar", String.class).getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("no CRD schema for " + type);
  }

  private static Type typeArgument(Type type, int index) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
  }
}
