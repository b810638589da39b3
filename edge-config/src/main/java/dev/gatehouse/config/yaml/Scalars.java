package dev.gatehouse.config.yaml;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML scalars as typed values, and values as error messages show them. A scalar fits a type only
 * when its resolved YAML tag does ({@code "3000"} is a string, not an integer), as in Kubernetes.
 */
final class Scalars {
  private Scalars() {}

  /** Converts a scalar to the type, or returns null when its YAML type does not fit. */
  static Object scalarValue(ScalarNode scalar, Class<?> type) {
    Tag tag = scalar.getTag();
    String text = scalar.getValue();
    if (String.class.equals(type)) {
      return text;
    }
    if (Boolean.class.equals(type) || boolean.class.equals(type)) {
      return Tag.BOOL.equals(tag) ? Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT)) : null;
    }
    if (Integer.class.equals(type) || int.class.equals(type)) {
      return Tag.INT.equals(tag) ? Math.toIntExact(parseLong(text)) : null;
    }
    if (Long.class.equals(type) || long.class.equals(type)) {
      return Tag.INT.equals(tag) ? parseLong(text) : null;
    }
    if (Double.class.equals(type) || double.class.equals(type)) {
      if (!Tag.INT.equals(tag) && !Tag.FLOAT.equals(tag)) {
        return null;
      }
      double value = Tag.INT.equals(tag) ? parseLong(text) : Double.parseDouble(text);
      return Double.isFinite(value) ? value : null;
    }
    if (Duration.class.equals(type)) {
      return Tag.STR.equals(tag) ? GoDuration.parse(text) : null;
    }
    if (type.isEnum()) {
      return Tag.STR.equals(tag) ? enumConstant(type, text) : null;
    }
    throw new IllegalStateException("no YAML binding for " + type.getName());
  }

  static long parseLong(String text) {
    String body = text.replace("_", "");
    if (body.startsWith("0x")) {
      return Long.parseLong(body.substring(2), 16);
    }
    if (body.startsWith("0o")) {
      return Long.parseLong(body.substring(2), 8);
    }
    return Long.parseLong(body);
  }

  static Object enumConstant(Class<?> type, String text) {
    for (Object constant : type.getEnumConstants()) {
      if (enumName((Enum<?>) constant).equals(text)) {
        return constant;
      }
    }
    if (type.isAnnotationPresent(IgnoreCase.class)) {
      for (Object constant : type.getEnumConstants()) {
        if (enumName((Enum<?>) constant).equalsIgnoreCase(text)) {
          return constant;
        }
      }
    }
    return null;
  }

  /** The YAML spelling of an enum constant. */
  public static String enumName(Enum<?> constant) {
    try {
      YamlName name =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(YamlName.class);
      return name != null ? name.value() : constant.name().toLowerCase(java.util.Locale.ROOT);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Converts untyped YAML to plain Java values: Map, List, String, Long, Double, Boolean, null. */
  public static Object toPlain(Node node) {
    if (node instanceof MappingNode mapping) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        out.put(String.valueOf(toPlain(tuple.getKeyNode())), toPlain(tuple.getValueNode()));
      }
      return out;
    }
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue().stream().map(Scalars::toPlain).collect(Collectors.toList());
    }
    ScalarNode scalar = (ScalarNode) node;
    Tag tag = scalar.getTag();
    try {
      if (Tag.NULL.equals(tag)) {
        return null;
      }
      if (Tag.BOOL.equals(tag)) {
        return Boolean.valueOf(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
      }
      if (Tag.INT.equals(tag)) {
        return parseLong(scalar.getValue());
      }
      if (Tag.FLOAT.equals(tag)) {
        return Double.parseDouble(scalar.getValue());
      }
    } catch (NumberFormatException e) {
      return scalar.getValue();
    }
    return scalar.getValue();
  }

  /** How a node reads in an error message: a quoted string, a number, or its kind. */
  public static String describe(Node node) {
    if (node instanceof ScalarNode scalar) {
      Tag tag = scalar.getTag();
      if (Tag.STR.equals(tag)) {
        return quote(scalar.getValue());
      }
      return Tag.NULL.equals(tag) ? "null" : scalar.getValue();
    }
    return node instanceof SequenceNode ? "a list" : "a map";
  }

  public static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static Tag defaultTag(Type type) {
    Class<?> raw = Binder.rawClass(type);
    if (Boolean.class.equals(raw)) {
      return Tag.BOOL;
    }
    if (Integer.class.equals(raw) || Long.class.equals(raw)) {
      return Tag.INT;
    }
    if (Double.class.equals(raw)) {
      return Tag.FLOAT;
    }
    return Tag.STR;
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()));
  }
}
