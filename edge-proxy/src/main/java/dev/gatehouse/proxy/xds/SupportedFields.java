package dev.gatehouse.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses xDS that edge-proxy would otherwise misread: every field set in a resource, at any depth,
 * must be on the allow-list of what the proxy implements, and every {@link Any} must be of a type
 * it knows. Envoy ignores nothing it was told; neither may we, so an unknown field is a NACK that
 * names it rather than a silently different behaviour.
 *
 * <p>Fields are named by their full protobuf name ({@code
 * envoy.config.route.v3.RouteMatch.prefix}); for a type listed with {@code .*}, every field of it
 * is allowed.
 */
public final class SupportedFields {
  private final Set<String> fields;
  private final Map<String, Class<? extends Message>> anyTypes;

  /**
   * @param fields full names of supported fields, or {@code package.Message.*} for all of a type
   * @param anyTypes the type URLs allowed inside {@code Any}, with their message classes
   */
  public SupportedFields(Set<String> fields, Map<String, Class<? extends Message>> anyTypes) {
    this.fields = Set.copyOf(fields);
    this.anyTypes = Map.copyOf(anyTypes);
  }

  /**
   * @throws XdsException naming {@code where} and the path of the first unsupported field
   */
  public void check(Message message, String where) {
    walk(message, where);
  }

  private void walk(Message message, String path) {
    if (message instanceof Any any) {
      walk(unpack(any, path), path + "<" + any.getTypeUrl() + ">");
      return;
    }
    if (message.getDescriptorForType().getOptions().getMapEntry()) {
      // The map field itself was allowed; its entries' keys are data, only values can nest.
      FieldDescriptor value = message.getDescriptorForType().findFieldByName("value");
      if (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        walk((Message) message.getField(value), path);
      }
      return;
    }
    String typeName = message.getDescriptorForType().getFullName();
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      String fieldPath = path + "." + field.getName();
      if (!fields.contains(field.getFullName()) && !fields.contains(typeName + ".*")) {
        throw new XdsException(
            fieldPath + ": field " + field.getFullName() + " is not supported by edge-proxy");
      }
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.isRepeated()) {
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          Message value = (Message) values.get(i);
          walk(
              value,
              field.isMapField()
                  ? fieldPath + "[" + mapKey(value) + "]"
                  : fieldPath + "[" + i + "]");
        }
      } else {
        walk((Message) entry.getValue(), fieldPath);
      }
    }
  }

  private Message unpack(Any any, String path) {
    Class<? extends Message> type = anyTypes.get(any.getTypeUrl());
    if (type == null) {
      throw new XdsException(
          path + ": type " + any.getTypeUrl() + " is not supported by edge-proxy");
    }
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsException(
          path + ": " + any.getTypeUrl() + " does not parse: " + e.getMessage(), e);
    }
  }

  private static Object mapKey(Message entry) {
    FieldDescriptor key = entry.getDescriptorForType().findFieldByName("key");
    return key == null ? "?" : entry.getField(key);
  }

  /** The type URL of a message class, as it appears in {@code Any}. */
  public static String typeUrl(Class<? extends Message> type) {
    try {
      Message instance = (Message) type.getMethod("getDefaultInstance").invoke(null);
      return "type.googleapis.com/" + instance.getDescriptorForType().getFullName();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type + " is not a generated message", e);
    }
  }
}
