package dev.gatehouse.config.yaml;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML shape of a record type: its fields by YAML name, in declaration order, and its canonical
 * constructor. Computed once per type; the binder, the docs and the CRD schema generator share it.
 */
public final class RecordShape {
  private static final ClassValue<RecordShape> CACHE =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          return new RecordShape(type);
        }
      };

  /** One field of the record as YAML sees it. */
  public record Field(String yamlName, RecordComponent component, int index) {
    public <A extends java.lang.annotation.Annotation> A annotation(Class<A> type) {
      return component.getAnnotation(type);
    }
  }

  private final Class<?> type;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Constructor<?> constructor;

  private RecordShape(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " (expected: a record)");
    }
    this.type = type;
    boolean snake = type.isAnnotationPresent(SnakeCase.class);
    RecordComponent[] components = type.getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      YamlName name = component.getAnnotation(YamlName.class);
      String yamlName =
          name != null
              ? name.value()
              : snake ? toSnakeCase(component.getName()) : component.getName();
      fields.put(yamlName, new Field(yamlName, component, i));
    }
    try {
      constructor =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("no canonical constructor in " + type, e);
    }
  }

  public static RecordShape of(Class<?> type) {
    return CACHE.get(type);
  }

  public Class<?> type() {
    return type;
  }

  public Field field(String yamlName) {
    return fields.get(yamlName);
  }

  public List<Field> fields() {
    return List.copyOf(fields.values());
  }

  Constructor<?> constructor() {
    return constructor;
  }

  static String toSnakeCase(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
