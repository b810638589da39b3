package dev.gatehouse.config;

import dev.gatehouse.config.validate.CrossValidator;
import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads {@code getambassador.io} resources from YAML files and directories, as Emissary reads them:
 * Kubernetes-style objects, several per file, {@code .yaml} and {@code .yml} files found
 * recursively. Each resource remembers its file and line; each problem is reported with them, and
 * one bad resource never stops the others from loading.
 *
 * <p>Not thread-safe: use one loader per load.
 */
public final class ResourceLoader {
  static final String API_GROUP = "getambassador.io/";
  static final String API_VERSION = "getambassador.io/v3alpha1";
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String ambassadorId;
  private final List<Resource<?>> resources = new ArrayList<>();
  private final List<LoadResult.Rejected> rejected = new ArrayList<>();
  private final List<ConfigError> problems = new ArrayList<>();
  private final Map<String, Resource<?>> byId = new HashMap<>();
  private int ignored;

  /** A loader for the installation with this {@code ambassador_id} ("default" normally). */
  public ResourceLoader(String ambassadorId) {
    this.ambassadorId = ambassadorId;
  }

  public ResourceLoader() {
    this(Resource.DEFAULT_AMBASSADOR_ID);
  }

  /** Loads every {@code .yaml} / {@code .yml} file under a directory (or one file), validated. */
  public static LoadResult load(Path path) {
    return new ResourceLoader().add(path).result();
  }

  /**
   * Adds every YAML file under the path. Files and directories whose names start with a dot are
   * skipped: that is where Kubernetes keeps the real files of a mounted ConfigMap ({@code ..data}),
   * which the visible symlinks already point to.
   */
  public ResourceLoader add(Path path) {
    if (Files.isRegularFile(path)) {
      addFile(path, path.getFileName().toString());
      return this;
    }
    if (!Files.isDirectory(path)) {
      problems.add(
          ConfigError.error(Source.of(path.toString()), null, "no such file or directory"));
      rejected.add(new LoadResult.Rejected("file", path.toString(), Source.of(path.toString())));
      return this;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(path, FileVisitOption.FOLLOW_LINKS)) {
      files =
          walk.filter(p -> !hidden(path.relativize(p)))
              .filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException | UncheckedIOException e) {
      problems.add(
          ConfigError.error(Source.of(path.toString()), null, "cannot list: " + e.getMessage()));
      return this;
    }
    for (Path file : files) {
      addFile(file, path.relativize(file).toString());
    }
    return this;
  }

  /** Adds the resources of one file, named in errors by {@code origin}. */
  public ResourceLoader addFile(Path file, String origin) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      problems.add(ConfigError.error(Source.of(origin), null, "cannot read: " + e.getMessage()));
      rejected.add(new LoadResult.Rejected("file", origin, Source.of(origin)));
      return this;
    }
    return addText(text, origin);
  }

  /** Adds the resources in a YAML text (one or more documents), named in errors by origin. */
  public ResourceLoader addText(String text, String origin) {
    LoadSettings settings =
        LoadSettings.builder()
            .setSchema(new CoreSchema())
            .setLabel(origin)
            .setAllowDuplicateKeys(true) // the binder reports duplicates with their path
            .setMaxAliasesForCollections(50)
            .setCodePointLimit(16 * 1024 * 1024)
            .build();
    Composer composer =
        new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
    try {
      while (composer.hasNext()) {
        Node document = composer.next();
        addDocument(document, origin);
      }
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      String column =
          e.getProblemMark().map(m -> " (column " + (m.getColumn() + 1) + ")").orElse("");
      problems.add(
          ConfigError.error(
              new Source(origin, line),
              null,
              "not valid YAML" + column + ": " + firstLine(e.getProblem())));
      rejected.add(new LoadResult.Rejected("file", origin, new Source(origin, line)));
    } catch (YamlEngineException e) {
      problems.add(
          ConfigError.error(
              Source.of(origin), null, "not valid YAML: " + firstLine(e.getMessage())));
      rejected.add(new LoadResult.Rejected("file", origin, Source.of(origin)));
    }
    return this;
  }

  /** The validated result of everything added so far. */
  public LoadResult result() {
    LoadResult validated =
        CrossValidator.validate(new LoadResult(resources, rejected, problems, ignored));
    List<ConfigError> ordered = new ArrayList<>(validated.problems());
    ordered.sort(
        java.util.Comparator.comparing((ConfigError e) -> e.source().origin())
            .thenComparingInt(e -> e.source().line()));
    return new LoadResult(
        validated.resources(), validated.rejected(), ordered, validated.ignored());
  }

  private void addDocument(Node document, String origin) {
    if (document == null
        || (document instanceof ScalarNode scalar && scalar.getValue().isEmpty())) {
      return;
    }
    Source at = new Source(origin, BindContext.lineOf(document));
    if (!(document instanceof MappingNode object)) {
      reject(
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
      reject(
          at,
          "document",
          null,
          (apiVersion == null ? "apiVersion" : "kind") + ": required field is missing");
      return;
    }
    if (!apiVersion.startsWith(API_GROUP)) {
      ignored++;
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
        problems.add(
            ConfigError.warning(
                at, label, "kind " + kindName + " is not served by Gatehouse yet; ignored"));
        ignored++;
      } else {
        reject(
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
        problems.add(
            ConfigError.warning(
                lineOf(at, fields.get("apiVersion")),
                label,
                "apiVersion: "
                    + Binder.quote(apiVersion)
                    + " is read as getambassador.io/v3alpha1"));
      } else {
        reject(
            lineOf(at, fields.get("apiVersion")),
            kindName,
            label,
            "apiVersion: " + Binder.quote(apiVersion) + " (expected: " + API_VERSION + ")");
        return;
      }
    }
    int errorsBefore = errorCount();
    for (String field : fields.keySet()) {
      if (!List.of("apiVersion", "kind", "metadata", "spec", "status").contains(field)) {
        problems.add(
            ConfigError.error(
                lineOf(at, keyNode(object, field)), label, field + ": unknown field"));
      }
    }
    BindContext context = new BindContext(origin, label, problems);
    Node specNode = fields.get("spec");
    if (specNode == null) {
      problems.add(ConfigError.error(at, label, "spec: required field is missing"));
    }
    List<String> ids = List.of();
    Object spec = null;
    if (specNode instanceof MappingNode specMap) {
      Node idNode = null;
      List<NodeTuple> rest = new ArrayList<>();
      for (NodeTuple tuple : specMap.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals("ambassador_id")) {
          idNode = tuple.getValueNode();
        } else {
          rest.add(tuple);
        }
      }
      ids = ambassadorIds(idNode, context);
      MappingNode withoutId =
          new MappingNode(
              specMap.getTag(),
              true,
              rest,
              specMap.getFlowStyle(),
              specMap.getStartMark(),
              specMap.getEndMark());
      spec = context.at("spec", () -> Binder.bindRecord(withoutId, kind.get().specType(), context));
    } else if (specNode != null) {
      context.at(
          "spec",
          () -> {
            context.error(specNode, Binder.describe(specNode) + " (expected: a map)");
            return null;
          });
    }
    if (spec == null || errorCount() > errorsBefore) {
      rejected.add(new LoadResult.Rejected(kindName, label, at));
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
    if (!resource.servedBy(ambassadorId)) {
      ignored++;
      return;
    }
    Resource<?> earlier = byId.putIfAbsent(resource.id(), resource);
    if (earlier != null) {
      reject(at, kindName, label, "already defined at " + earlier.source());
      return;
    }
    resources.add(resource);
  }

  private record MetadataNode(
      String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

  private MetadataNode metadata(Node node, Source at, String kindName) {
    if (!(node instanceof MappingNode map)) {
      reject(
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
      reject(lineOf(at, node), kindName, kindName, "metadata.name: required field is missing");
      return null;
    }
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      reject(
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

  private void reject(Source at, String kind, String label, String message) {
    problems.add(ConfigError.error(at, label, message));
    rejected.add(new LoadResult.Rejected(kind, label == null ? at.toString() : label, at));
  }

  private int errorCount() {
    return (int) problems.stream().filter(ConfigError::isError).count();
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
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

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
