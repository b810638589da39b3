package dev.gatehouse.config;

import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads one YAML document as a Kubernetes-style object, as Emissary does: {@code apiVersion} of the
 * getambassador.io group (v3alpha1; v2 and v1 are read as v3alpha1 with a warning), {@code kind},
 * {@code metadata} (name, namespace, labels, annotations), and a {@code spec} bound to the kind's
 * record. Objects of other API groups are counted as ignored; so are kinds Emissary defines that
 * Gatehouse does not serve (with a warning), and resources for another {@code ambassador_id}.
 */
final class ObjectReader {
  static final String API_GROUP = "getambassador.io/";
  static final String API_VERSION = "getambassador.io/v3alpha1";
  private static final List<String> ENVELOPE_FIELDS =
      List.of("apiVersion", "kind", "metadata", "spec", "status");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String ambassadorId;
  private final LoadAccumulator out;

  ObjectReader(String ambassadorId, LoadAccumulator out) {
    this.ambassadorId = ambassadorId;
    this.out = out;
  }

  /** Reads one document of the file named origin. */
  void read(Node document, String origin) {
    if (document == null
        || (document instanceof ScalarNode scalar && scalar.getValue().isEmpty())) {
      return;
    }
    Source at = new Source(origin, BindContext.lineOf(document));
    if (!(document instanceof MappingNode object)) {
      out.reject(
          at,
          "document",
          null,
          Binder.describe(document)
              + " (expected: an object with apiVersion, kind, metadata and spec)");
      return;
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : object.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        fields.put(key.getValue(), tuple.getValueNode());
      }
    }
    String apiVersion = scalar(fields.get("apiVersion"));
    String kindName = scalar(fields.get("kind"));
    if (apiVersion == null || kindName == null) {
      out.reject(
          at,
          "document",
          null,
          (apiVersion == null ? "apiVersion" : "kind") + ": required field is missing");
      return;
    }
    if (!apiVersion.startsWith(API_GROUP)) {
      out.ignore();
      return;
    }
    Optional<Kind> kind = Kind.fromYaml(kindName);
    MetadataNode meta = metadata(fields.get("metadata"), at, kindName);
    if (meta == null) {
      return;
    }
    String label = kindName + " " + meta.namespace + "/" + meta.name;
    if (kind.isEmpty()) {
      if (Kind.NOT_SERVED.contains(kindName)) {
        out.warn(at, label, "kind " + kindName + " is not served by Gatehouse yet; ignored");
        out.ignore();
      } else {
        out.reject(
            lineOf(at, fields.get("kind")),
            kindName,
            label,
            "kind: "
                + Binder.quote(kindName)
                + " (expected: one of "
                + String.join(", ", kindNames())
                + ")");
      }
      return;
    }
    if (!apiVersion.equals(API_VERSION)) {
      if (apiVersion.equals("getambassador.io/v2") || apiVersion.equals("getambassador.io/v1")) {
        out.warn(
            lineOf(at, fields.get("apiVersion")),
            label,
            "apiVersion: " + Binder.quote(apiVersion) + " is read as getambassador.io/v3alpha1");
      } else {
        out.reject(
            lineOf(at, fields.get("apiVersion")),
            kindName,
            label,
            "apiVersion: " + Binder.quote(apiVersion) + " (expected: " + API_VERSION + ")");
        return;
      }
    }
    int errorsBefore = out.errorCount();
    for (String field : fields.keySet()) {
      if (!ENVELOPE_FIELDS.contains(field)) {
        out.problems()
            .add(
                ConfigError.error(
                    lineOf(at, keyNode(object, field)), label, field + ": unknown field"));
      }
    }
    BindContext context = new BindContext(origin, label, out.problems());
    List<String> ids = new ArrayList<>();
    Object spec = bindSpec(fields.get("spec"), object, kind.get(), ids, context);
    if (spec == null || out.errorCount() > errorsBefore) {
      out.rejected(kindName, label, at);
      return;
    }
    Resource<?> resource =
        new Resource<>(
            kind.get(),
            apiVersion,
            meta.name,
            meta.namespace,
            meta.labels,
            meta.annotations,
            ids,
            at,
            context.lines(),
            (Record) spec);
    if (resource.servedBy(ambassadorId)) {
      out.add(resource);
    } else {
      out.ignore();
    }
  }

  /**
   * Binds the spec to the kind's record; {@code ambassador_id}, common to every kind, is taken out
   * first into {@code ids}.
   */
  private static Object bindSpec(
      Node specNode, Node object, Kind kind, List<String> ids, BindContext context) {
    if (specNode == null) {
      context.at(
          "spec",
          () -> {
            context.error(object, "required field is missing");
            return null;
          });
      return null;
    }
    if (!(specNode instanceof MappingNode specMap)) {
      return context.at(
          "spec",
          () -> {
            context.error(specNode, Binder.describe(specNode) + " (expected: a map)");
            return null;
          });
    }
    Node idNode = null;
    List<NodeTuple> rest = new ArrayList<>();
    for (NodeTuple tuple : specMap.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("ambassador_id")) {
        idNode = tuple.getValueNode();
      } else {
        rest.add(tuple);
      }
    }
    ids.addAll(ambassadorIds(idNode, context));
    MappingNode withoutId =
        new MappingNode(
            specMap.getTag(),
            true,
            rest,
            specMap.getFlowStyle(),
            specMap.getStartMark(),
            specMap.getEndMark());
    return context.at("spec", () -> Binder.bindRecord(withoutId, kind.specType(), context));
  }

  private record MetadataNode(
      String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

  private MetadataNode metadata(Node node, Source at, String kindName) {
    if (!(node instanceof MappingNode map)) {
      out.reject(
          lineOf(at, node),
          kindName,
          kindName,
          "metadata: "
              + (node == null
                  ? "required field is missing"
                  : Binder.describe(node) + " (expected: a map)"));
      return null;
    }
    String name = null;
    String namespace = Resource.DEFAULT_NAMESPACE;
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    Node nameNode = null;
    for (NodeTuple tuple : map.getValue()) {
      String key = scalar(tuple.getKeyNode());
      Node value = tuple.getValueNode();
      switch (key == null ? "" : key) {
        case "name" -> {
          name = scalar(value);
          nameNode = value;
        }
        case "namespace" -> namespace = Optional.ofNullable(scalar(value)).orElse(namespace);
        case "labels" -> stringMap(value, labels);
        case "annotations" -> stringMap(value, annotations);
        default -> {
          // uid, resourceVersion, generation, managedFields...: Kubernetes' business, not ours.
        }
      }
    }
    if (name == null) {
      out.reject(lineOf(at, node), kindName, kindName, "metadata.name: required field is missing");
      return null;
    }
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      out.reject(
          lineOf(at, nameNode),
          kindName,
          kindName + " " + namespace + "/" + name,
          "metadata.name: "
              + Binder.quote(name)
              + " (expected: a DNS subdomain name: lower-case letters, digits, '-' and '.')");
      return null;
    }
    return new MetadataNode(name, namespace, labels, annotations);
  }

  private static List<String> ambassadorIds(Node node, BindContext context) {
    if (node == null) {
      return List.of();
    }
    return context.at(
        "spec.ambassador_id",
        () -> {
          Object value = Binder.toPlain(node);
          if (value instanceof String single) {
            return List.of(single);
          }
          if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
          }
          context.error(node, Binder.describe(node) + " (expected: a string or a list of strings)");
          return List.of();
        });
  }

  private static void stringMap(Node node, Map<String, String> into) {
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        String key = scalar(tuple.getKeyNode());
        String value = scalar(tuple.getValueNode());
        if (key != null && value != null) {
          into.put(key, value);
        }
      }
    }
  }

  private static Node keyNode(MappingNode object, String field) {
    return object.getValue().stream()
        .map(NodeTuple::getKeyNode)
        .filter(k -> field.equals(scalar(k)))
        .findFirst()
        .orElse(null);
  }

  private static String scalar(Node node) {
    return node instanceof ScalarNode scalar
            && !scalar.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.NULL)
        ? scalar.getValue()
        : null;
  }

  private static Source lineOf(Source at, Node node) {
    int line = BindContext.lineOf(node);
    return line > 0 ? at.atLine(line) : at;
  }

  private static List<String> kindNames() {
    return Stream.of(Kind.values()).map(Kind::yamlName).toList();
  }
}
