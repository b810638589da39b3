package dev.gatehouse.config.yaml;

import com.google.re2j.PatternSyntaxException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds YAML nodes to the configuration records, strictly: unknown fields, wrong types, missing
 * required fields and out-of-range values are reported at their line and path, and the bind goes on
 * so that one pass reports every problem of a resource.
 *
 * <p>Supported targets: records (fields by {@link RecordShape}), {@code List<T>}, {@code
 * Map<String, T>}, String, Integer, Long, Double, Boolean, enums (constants by {@link YamlName} or
 * their lower-case name), {@link Duration} (Go syntax), {@code Object} (untyped YAML as plain Java
 * values), and types with a {@link BindWith} binder. A record with a public static {@code
 * fromScalar(String)} method also accepts a bare scalar. Absent lists and maps bind as empty, never
 * null.
 */
public final class Binder {
  private Binder() {}

  /** Binds a node to the given type; returns null when the node was rejected. */
  public static Object bind(Node node, Type type, BindContext context) {
    if (Scalars.isNull(node)) {
      return emptyOf(type);
    }
    Class<?> raw = rawClass(type);
    BindWith custom = raw.getAnnotation(BindWith.class);
    if (custom != null) {
      return customBinder(custom.value()).bind(node, context);
    }
    if (List.class.equals(raw)) {
      return bindList(node, typeArgument(type, 0), false, context);
    }
    if (Map.class.equals(raw)) {
      return bindMap(node, typeArgument(type, 1), context);
    }
    if (raw.isRecord()) {
      return bindRecord(node, raw, context);
    }
    return bindScalar(node, raw, context);
  }

  /** Binds a mapping node to a record of the given type. */
  public static <T> T bindRecord(Node node, Class<T> type, BindContext context) {
    if (node instanceof ScalarNode scalar) {
      Method fromScalar = fromScalarMethod(type);
      if (fromScalar != null) {
        return type.cast(invokeFromScalar(fromScalar, scalar, context));
      }
    }
    if (!(node instanceof MappingNode mapping)) {
      context.error(node, Scalars.describe(node) + " (expected: " + expectation(type) + ")");
      return null;
    }
    RecordShape shape = RecordShape.of(type);
    int errorsBefore = context.errorCount();
    Object[] values = new Object[shape.fields().size()];
    Node[] valueNodes = new Node[values.length];
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalarKey(tuple.getKeyNode(), context);
      if (key == null) {
        continue;
      }
      RecordShape.Field field = shape.field(key);
      if (field == null) {
        context.at(key, () -> unknownField(tuple.getKeyNode(), shape, key, context));
        continue;
      }
      if (valueNodes[field.index()] != null) {
        context.at(key, () -> duplicateField(tuple.getKeyNode(), context));
        continue;
      }
      valueNodes[field.index()] = tuple.getValueNode();
      values[field.index()] =
          context.at(
              key,
              () -> {
                context.mark(tuple.getValueNode());
                return bindField(tuple.getValueNode(), field, context);
              });
    }
    for (RecordShape.Field field : shape.fields()) {
      if (valueNodes[field.index()] == null || Scalars.isNull(valueNodes[field.index()])) {
        values[field.index()] = absentValue(field, mapping, context);
      }
    }
    checkRegexes(shape, values, valueNodes, context);
    if (context.errorCount() > errorsBefore) {
      return null;
    }
    return type.cast(construct(shape, values, valueNodes, mapping, context));
  }

  private static Object bindField(Node node, RecordShape.Field field, BindContext context) {
    Unsupported unsupported = field.annotation(Unsupported.class);
    if (unsupported != null) {
      Object value = Scalars.toPlain(node);
      if (value != null && !Boolean.FALSE.equals(value)) {
        context.warn(node, "not supported by Gatehouse yet, ignored (" + unsupported.value() + ")");
      }
      return value;
    }
    Type type = field.component().getGenericType();
    Object value;
    if (field.annotation(SingleOrList.class) != null) {
      value = bindList(node, typeArgument(type, 0), true, context);
    } else {
      value = bind(node, type, context);
    }
    Range range = field.annotation(Range.class);
    if (range != null && value instanceof Number number) {
      checkRange(node, number, range, context);
    }
    return value;
  }

  private static Object absentValue(RecordShape.Field field, Node parent, BindContext context) {
    if (field.annotation(Required.class) != null) {
      context.at(
          field.yamlName(),
          () -> {
            context.error(parent, "required field is missing");
            return null;
          });
      return null;
    }
    Default fallback = field.annotation(Default.class);
    Type type = field.component().getGenericType();
    if (fallback != null) {
      return Scalars.scalarValue(
          new ScalarNode(Scalars.defaultTag(type), fallback.value(), ScalarStyle.PLAIN),
          rawClass(type));
    }
    return emptyOf(type);
  }

  private static Object construct(
      RecordShape shape, Object[] values, Node[] valueNodes, Node mapping, BindContext context) {
    try {
      return shape.constructor().newInstance(values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FieldException invalid) {
        String head = invalid.field().split("[.\\[]", 2)[0];
        RecordShape.Field field = shape.field(head);
        Node at =
            field != null && valueNodes[field.index()] != null
                ? valueNodes[field.index()]
                : mapping;
        context.at(
            invalid.field(),
            () -> {
              context.error(at, invalid.detail());
              return null;
            });
      } else if (cause instanceof IllegalArgumentException invalid) {
        context.error(mapping, invalid.getMessage());
      } else {
        throw new IllegalStateException("constructing " + shape.type().getSimpleName(), cause);
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("constructing " + shape.type().getSimpleName(), e);
    }
  }

  private static List<Object> bindList(
      Node node, Type elementType, boolean single, BindContext context) {
    if (!(node instanceof SequenceNode sequence)) {
      if (single && node instanceof ScalarNode) {
        Object value = bind(node, elementType, context);
        return value == null ? null : List.of(value);
      }
      context.error(node, Scalars.describe(node) + " (expected: a list)");
      return null;
    }
    List<Object> out = new ArrayList<>(sequence.getValue().size());
    boolean failed = false;
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      Object value =
          context.at(
              "[" + i + "]",
              () -> {
                context.mark(item);
                if (Scalars.isNull(item)) {
                  context.error(item, "null (expected: a value)");
                  return null;
                }
                return bind(item, elementType, context);
              });
      if (value == null) {
        failed = true;
      } else {
        out.add(value);
      }
    }
    return failed ? null : List.copyOf(out);
  }

  private static Map<String, Object> bindMap(Node node, Type valueType, BindContext context) {
    if (!(node instanceof MappingNode mapping)) {
      context.error(node, Scalars.describe(node) + " (expected: a map)");
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    boolean failed = false;
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalarKey(tuple.getKeyNode(), context);
      if (key == null) {
        failed = true;
        continue;
      }
      if (out.containsKey(key)) {
        context.at(key, () -> duplicateField(tuple.getKeyNode(), context));
        failed = true;
        continue;
      }
      Object value =
          context.at(
              key,
              () -> {
                context.mark(tuple.getValueNode());
                // A key without a value ({x-a}, "x-a:") is an error, as a null list item is:
                // binding it would give null with nothing reported.
                if (Scalars.isNull(tuple.getValueNode())) {
                  context.error(tuple.getValueNode(), "null (expected: a value)");
                  return null;
                }
                return bind(tuple.getValueNode(), valueType, context);
              });
      if (value == null) {
        failed = true;
      } else {
        out.put(key, value);
      }
    }
    return failed ? null : java.util.Collections.unmodifiableMap(out);
  }

  private static Object bindScalar(Node node, Class<?> type, BindContext context) {
    if (Object.class.equals(type)) {
      return Scalars.toPlain(node);
    }
    if (!(node instanceof ScalarNode scalar)) {
      context.error(node, Scalars.describe(node) + " (expected: " + expectation(type) + ")");
      return null;
    }
    try {
      Object value = Scalars.scalarValue(scalar, type);
      if (value == null) {
        context.error(node, Scalars.describe(node) + " (expected: " + expectation(type) + ")");
      }
      return value;
    } catch (IllegalArgumentException | ArithmeticException e) {
      context.error(node, Scalars.describe(node) + " (expected: " + expectation(type) + ")");
      return null;
    }
  }

  private static void checkRange(Node node, Number number, Range range, BindContext context) {
    long value = number.longValue();
    boolean low = range.min() != Long.MIN_VALUE;
    boolean high = range.max() != Long.MAX_VALUE;
    if ((low && value < range.min()) || (high && value > range.max())) {
      String expected =
          low && high
              ? "between " + range.min() + " and " + range.max()
              : low ? ">= " + range.min() : "<= " + range.max();
      context.error(node, number + " (expected: " + expected + ")");
    }
  }

  private static void checkRegexes(
      RecordShape shape, Object[] values, Node[] nodes, BindContext context) {
    for (RecordShape.Field field : shape.fields()) {
      Re2 re2 = field.annotation(Re2.class);
      Object value = values[field.index()];
      if (re2 == null || value == null) {
        continue;
      }
      if (!re2.when().isEmpty()) {
        RecordShape.Field flag = shape.field(re2.when());
        if (flag == null || !Boolean.TRUE.equals(values[flag.index()])) {
          continue;
        }
      }
      Node node = nodes[field.index()];
      context.at(
          field.yamlName(),
          () -> {
            if (value instanceof String pattern) {
              checkRegex(node, pattern, context);
            } else if (value instanceof Map<?, ?> map && node instanceof MappingNode mapping) {
              for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                context.at(
                    key,
                    () -> {
                      checkRegex(tuple.getValueNode(), (String) map.get(key), context);
                      return null;
                    });
              }
            }
            return null;
          });
    }
  }

  private static void checkRegex(Node node, String pattern, BindContext context) {
    try {
      com.google.re2j.Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      context.error(
          node,
          Scalars.quote(pattern)
              + " (expected: an RE2 regular expression; "
              + e.getDescription()
              + ")");
    }
  }

  private static Object unknownField(
      Node keyNode, RecordShape shape, String key, BindContext context) {
    String suggestion =
        Names.closest(key, shape.fields().stream().map(RecordShape.Field::yamlName).toList());
    context.error(
        keyNode,
        "unknown field" + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)"));
    return null;
  }

  private static Object duplicateField(Node keyNode, BindContext context) {
    context.error(keyNode, "given more than once");
    return null;
  }

  private static String scalarKey(Node keyNode, BindContext context) {
    if (keyNode instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
      return scalar.getValue();
    }
    context.error(keyNode, Scalars.describe(keyNode) + " (expected: a field name)");
    return null;
  }

  private static String expectation(Class<?> type) {
    if (String.class.equals(type)) {
      return "a string";
    }
    if (Boolean.class.equals(type)) {
      return "true or false";
    }
    if (Integer.class.equals(type) || Long.class.equals(type)) {
      return "an integer";
    }
    if (Double.class.equals(type)) {
      return "a number";
    }
    if (Duration.class.equals(type)) {
      return "a duration like 30s, 5m or 1h30m";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(c -> Scalars.enumName((Enum<?>) c))
              .collect(Collectors.joining(", "));
    }
    if (type.isRecord()) {
      return fromScalarMethod(type) != null ? "a string or a map" : "a map";
    }
    return type.getSimpleName();
  }

  private static Object emptyOf(Type type) {
    Class<?> raw = rawClass(type);
    if (List.class.equals(raw)) {
      return List.of();
    }
    if (Map.class.equals(raw)) {
      return Map.of();
    }
    return null;
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported type " + type);
  }

  static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  private static final Map<Class<?>, NodeBinder<?>> CUSTOM =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static NodeBinder<?> customBinder(Class<? extends NodeBinder<?>> type) {
    return CUSTOM.computeIfAbsent(
        type,
        t -> {
          try {
            var constructor = t.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (NodeBinder<?>) constructor.newInstance();
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + t, e);
          }
        });
  }

  private static final Map<Class<?>, java.util.Optional<Method>> FROM_SCALAR =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Method fromScalarMethod(Class<?> type) {
    return FROM_SCALAR
        .computeIfAbsent(
            type,
            t -> {
              try {
                Method method = t.getMethod("fromScalar", String.class);
                return Modifier.isStatic(method.getModifiers())
                    ? java.util.Optional.of(method)
                    : java.util.Optional.empty();
              } catch (NoSuchMethodException e) {
                return java.util.Optional.empty();
              }
            })
        .orElse(null);
  }

  private static Object invokeFromScalar(Method method, ScalarNode scalar, BindContext context) {
    try {
      return method.invoke(null, scalar.getValue());
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        context.error(scalar, Scalars.describe(scalar) + " (" + invalid.getMessage() + ")");
        return null;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Converts untyped YAML to plain Java values: Map, List, String, Long, Double, Boolean, null. */
  public static Object toPlain(Node node) {
    return Scalars.toPlain(node);
  }

  /** How a node reads in an error message: a quoted string, a number, or its kind. */
  public static String describe(Node node) {
    return Scalars.describe(node);
  }

  /** A string in double quotes, as error messages show values. */
  public static String quote(String text) {
    return Scalars.quote(text);
  }

  /** The YAML spelling of an enum constant. */
  public static String enumName(Enum<?> constant) {
    return Scalars.enumName(constant);
  }
}
