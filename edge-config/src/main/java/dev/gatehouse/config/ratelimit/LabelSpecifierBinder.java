package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import dev.gatehouse.config.yaml.Names;
import dev.gatehouse.config.yaml.NodeBinder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Binds a label specifier in the v3alpha1 form ({@code request_headers: {key, header_name,
 * omit_if_not_present}}, {@code remote_address: {key}}, {@code generic_key: {key, value}}, {@code
 * source_cluster}, {@code destination_cluster}) and converts the older getambassador.io/v2
 * shorthand: a bare {@code remote_address}, a bare string as a generic_key value, and {@code
 * {x-org: {header: x-org, omit_if_not_present: true}}}.
 */
final class LabelSpecifierBinder implements NodeBinder<LabelSpecifier> {
  private static final List<String> TYPES =
      List.of(
          "request_headers",
          "remote_address",
          "generic_key",
          "source_cluster",
          "destination_cluster");

  @Override
  public LabelSpecifier bind(Node node, BindContext context) {
    if (node instanceof ScalarNode scalar) {
      return shorthand(scalar, context);
    }
    if (!(node instanceof MappingNode map) || map.getValue().size() != 1) {
      return invalid(node, null, context);
    }
    NodeTuple tuple = map.getValue().get(0);
    if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
      return invalid(node, null, context);
    }
    String type = keyNode.getValue();
    Node body = tuple.getValueNode();
    if (!TYPES.contains(type)) {
      if (body instanceof MappingNode v2 && fields(v2).containsKey("header")) {
        return context.at(type, () -> v2Header(type, v2, context));
      }
      return invalid(keyNode, type, context);
    }
    Map<String, Node> fields = body instanceof MappingNode bodyMap ? fields(bodyMap) : Map.of();
    if (!(body instanceof MappingNode) && !isNull(body)) {
      return context.at(type, () -> invalid(body, null, context));
    }
    return context.at(
        type,
        () ->
            switch (type) {
              case "request_headers" -> {
                String key = required(fields, "key", body, context);
                String header = required(fields, "header_name", body, context);
                Boolean omit = bool(fields, "omit_if_not_present", context);
                unknown(fields, List.of("key", "header_name", "omit_if_not_present"), context);
                yield key == null || header == null || omit == null
                    ? null
                    : new LabelSpecifier.RequestHeader(key, header, omit);
              }
              case "generic_key" -> {
                String value = required(fields, "value", body, context);
                String key = optional(fields, "key", "generic_key");
                unknown(fields, List.of("key", "value"), context);
                yield value == null ? null : new LabelSpecifier.GenericKey(key, value);
              }
              default -> {
                unknown(fields, List.of("key"), context);
                String key = optional(fields, "key", type);
                yield switch (type) {
                  case "remote_address" -> new LabelSpecifier.RemoteAddress(key);
                  case "source_cluster" -> new LabelSpecifier.SourceCluster(key);
                  default -> new LabelSpecifier.DestinationCluster(key);
                };
              }
            });
  }

  private static LabelSpecifier shorthand(ScalarNode scalar, BindContext context) {
    String text = scalar.getValue();
    if (text.equals("remote_address")) {
      return new LabelSpecifier.RemoteAddress("remote_address");
    }
    if (TYPES.contains(text)) {
      context.error(
          scalar,
          Binder.quote(text)
              + " (expected: "
              + text
              + " as a map, e.g. {"
              + text
              + ": {key: "
              + text
              + "}})");
      return null;
    }
    String nearMiss = nearMiss(text);
    if (nearMiss != null) {
      context.error(
          scalar,
          Binder.quote(text)
              + " (expected: a label specifier; did you mean \""
              + nearMiss
              + "\"?)");
      return null;
    }
    return new LabelSpecifier.GenericKey("generic_key", text);
  }

  private static LabelSpecifier v2Header(String key, MappingNode body, BindContext context) {
    Map<String, Node> fields = fields(body);
    unknown(fields, List.of("header", "omit_if_not_present"), context);
    String header = required(fields, "header", body, context);
    Boolean omit = bool(fields, "omit_if_not_present", context);
    return header == null || omit == null
        ? null
        : new LabelSpecifier.RequestHeader(key, header, omit);
  }

  private static LabelSpecifier invalid(Node node, String type, BindContext context) {
    String suggestion = type == null ? null : nearMiss(type);
    context.error(
        node,
        (type == null ? Binder.describe(node) : Binder.quote(type))
            + " (expected: one of "
            + String.join(", ", TYPES)
            + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?")
            + ")");
    return null;
  }

  private static String nearMiss(String text) {
    return Names.closest(text, TYPES);
  }

  private static Map<String, Node> fields(MappingNode map) {
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        out.put(key.getValue(), tuple.getValueNode());
      }
    }
    return out;
  }

  private static String required(
      Map<String, Node> fields, String name, Node parent, BindContext context) {
    Node node = fields.get(name);
    if (node instanceof ScalarNode scalar && !isNull(scalar)) {
      return scalar.getValue();
    }
    return context.at(
        name,
        () -> {
          context.error(
              node == null ? parent : node,
              node == null
                  ? "required field is missing"
                  : Binder.describe(node) + " (expected: a string)");
          return null;
        });
  }

  private static String optional(Map<String, Node> fields, String name, String fallback) {
    return fields.get(name) instanceof ScalarNode scalar && !isNull(scalar)
        ? scalar.getValue()
        : fallback;
  }

  private static Boolean bool(Map<String, Node> fields, String name, BindContext context) {
    Node node = fields.get(name);
    if (node == null || isNull(node)) {
      return false;
    }
    return context.at(name, () -> (Boolean) Binder.bind(node, Boolean.class, context));
  }

  private static void unknown(Map<String, Node> fields, List<String> known, BindContext context) {
    for (String name : fields.keySet()) {
      if (!known.contains(name)) {
        context.at(
            name,
            () -> {
              context.error(
                  fields.get(name),
                  "unknown field (expected one of: " + String.join(", ", known) + ")");
              return null;
            });
      }
    }
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar
        && scalar.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.NULL);
  }
}
