package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Reads an envoyproxy/ratelimit configuration file with that project's rules: one domain per file
 * (the first YAML document, as its loader reads), unknown fields are errors, one composite key per
 * level, no unit on an unlimited limit, no limit replacing itself. Every problem names the file,
 * the line and the field.
 */
public final class EnvoyConfigLoader {

  /**
   * What one file gave: the domain's tree (null when the file has errors) and its problems.
   *
   * @param domain null when the file does not say
   */
  public record FileResult(String domain, String origin, Tree tree, List<ConfigError> problems) {
    public FileResult {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return tree != null;
    }
  }

  /** The assembled tree of a file, opaque outside this package. */
  public static final class Tree {
    final NodeDraft root;

    Tree(NodeDraft root) {
      this.root = root;
    }
  }

  private EnvoyConfigLoader() {}

  /** The first document of a YAML text, or empty when the text has none or does not parse. */
  public static Optional<Node> firstDocument(String text, String origin) {
    try {
      Composer composer = composer(text, origin);
      return composer.hasNext() ? Optional.ofNullable(composer.next()) : Optional.empty();
    } catch (YamlEngineException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a document is an envoyproxy/ratelimit file rather than a Kubernetes-style object: a map
   * without {@code apiVersion}.
   */
  public static boolean isEnvoyFormat(Node document) {
    if (!(document instanceof MappingNode map)) {
      return false;
    }
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("apiVersion")) {
        return false;
      }
    }
    return true;
  }

  /** Reads one file's text; {@code origin} names it in errors. */
  public static FileResult parse(String text, String origin) {
    Node document;
    try {
      Composer composer = composer(text, origin);
      document = composer.hasNext() ? composer.next() : null;
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      String column =
          e.getProblemMark().map(m -> " (column " + (m.getColumn() + 1) + ")").orElse("");
      return failed(
          null,
          origin,
          new Source(origin, line),
          origin,
          "not valid YAML" + column + ": " + firstLine(e.getProblem()));
    } catch (YamlEngineException e) {
      return failed(
          null, origin, Source.of(origin), origin, "not valid YAML: " + firstLine(e.getMessage()));
    }
    if (document == null) {
      return failed(
          null, origin, Source.of(origin), origin, "empty file (expected: domain and descriptors)");
    }
    String domain = scalarField(document, "domain");
    String label = "domain " + (domain == null ? "?" : domain);
    List<ConfigError> problems = new ArrayList<>();
    BindContext context = new BindContext(origin, label, problems);
    EnvoyYaml.File file = Binder.bindRecord(document, EnvoyYaml.File.class, context);
    if (file == null) {
      return new FileResult(domain, origin, null, problems);
    }
    Map<String, Integer> lines = context.lines();
    EnvoyTreeBuilder compiler =
        new EnvoyTreeBuilder(origin, label, lines, BindContext.lineOf(document), problems);
    if (file.domain().isEmpty()) {
      compiler.error("domain", "\"\" (expected: a domain name)");
    }
    NodeDraft root = new NodeDraft("");
    compiler.level(root, file.descriptors(), "descriptors");
    boolean failed = problems.stream().anyMatch(ConfigError::isError);
    return new FileResult(file.domain(), origin, failed ? null : new Tree(root), problems);
  }

  private static FileResult failed(
      String domain, String origin, Source at, String label, String message) {
    return new FileResult(domain, origin, null, List.of(ConfigError.error(at, label, message)));
  }

  private static Composer composer(String text, String origin) {
    LoadSettings settings =
        LoadSettings.builder()
            .setSchema(new CoreSchema())
            .setLabel(origin)
            .setAllowDuplicateKeys(true) // the binder reports duplicates with their path
            .setMaxAliasesForCollections(50)
            .setCodePointLimit(16 * 1024 * 1024)
            .build();
    return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
  }

  private static String scalarField(Node document, String name) {
    if (document instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals(name)
            && tuple.getValueNode() instanceof ScalarNode value) {
          return value.getValue();
        }
      }
    }
    return null;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
