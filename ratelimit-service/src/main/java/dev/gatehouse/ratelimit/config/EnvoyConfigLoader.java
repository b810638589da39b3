package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Source;
import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import java.util.ArrayList;
import java.util.HashMap;
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
    Compiler compiler = new Compiler(origin, label, lines, BindContext.lineOf(document), problems);
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

  /** Turns the bound records into a tree, checking what the binder cannot. */
  private static final class Compiler {
    private final String origin;
    private final String label;
    private final Map<String, Integer> lines;
    private final int fileLine;
    private final List<ConfigError> problems;

    Compiler(
        String origin,
        String label,
        Map<String, Integer> lines,
        int fileLine,
        List<ConfigError> problems) {
      this.origin = origin;
      this.label = label;
      this.lines = lines;
      this.fileLine = fileLine;
      this.problems = problems;
    }

    void level(NodeDraft parent, List<EnvoyYaml.Descriptor> descriptors, String path) {
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < descriptors.size(); i++) {
        EnvoyYaml.Descriptor descriptor = descriptors.get(i);
        String at = path + "[" + i + "]";
        if (descriptor.key().isEmpty()) {
          error(at + ".key", "\"\" (expected: a descriptor key)");
          continue;
        }
        String composite = NodeDraft.compositeKey(descriptor.key(), descriptor.value());
        Integer first = seen.putIfAbsent(composite, line(at));
        if (first != null) {
          error(
              at,
              "duplicate composite key \""
                  + composite
                  + "\" (expected: each key and value once per level, first at line "
                  + first
                  + ")");
          continue;
        }
        NodeDraft node = parent.child(composite);
        node.detailedMetric = descriptor.detailedMetric();
        List<EnvoyYaml.RateLimit> limits = new ArrayList<>();
        List<String> limitPaths = new ArrayList<>();
        if (descriptor.rateLimit() != null) {
          limits.add(descriptor.rateLimit());
          limitPaths.add(at + ".rate_limit");
        }
        for (int j = 0; j < descriptor.rateLimits().size(); j++) {
          limits.add(descriptor.rateLimits().get(j));
          limitPaths.add(at + ".rate_limits[" + j + "]");
        }
        for (int j = 0; j < limits.size(); j++) {
          limit(node, limits.get(j), limitPaths.get(j), descriptor.shadowMode());
        }
        level(node, descriptor.descriptors(), at + ".descriptors");
      }
    }

    private void limit(NodeDraft node, EnvoyYaml.RateLimit limit, String at, boolean shadow) {
      String name = limit.name() == null ? "" : limit.name();
      List<String> replaces = new ArrayList<>();
      for (int k = 0; k < limit.replaces().size(); k++) {
        String replaced = limit.replaces().get(k).name();
        String field = at + ".replaces[" + k + "].name";
        if (replaced == null || replaced.isEmpty()) {
          error(field, "\"\" (expected: the name of the limit to replace)");
        } else if (replaced.equals(name)) {
          error(
              field,
              "\""
                  + replaced
                  + "\" (expected: another limit's name; a limit cannot replace itself)");
        } else {
          replaces.add(replaced);
        }
      }
      if (limit.unlimited()) {
        if (limit.unit() != null) {
          error(
              at + ".unit",
              limit.unit().name().toLowerCase(java.util.Locale.ROOT)
                  + " (expected: no unit when unlimited is true)");
        }
        node.unlimited = true;
        return;
      }
      boolean complete = true;
      if (limit.unit() == null) {
        error(at + ".unit", "required field is missing", at);
        complete = false;
      }
      if (limit.requestsPerUnit() == null) {
        error(at + ".requests_per_unit", "required field is missing", at);
        complete = false;
      }
      Algorithm algorithm = limit.algorithm() == null ? Algorithm.FIXED_WINDOW : limit.algorithm();
      if (limit.burst() != null && algorithm != Algorithm.TOKEN_BUCKET) {
        error(
            at + ".burst", limit.burst() + " (expected: burst only with algorithm: token_bucket)");
        complete = false;
      }
      if (!complete) {
        return;
      }
      long burst = limit.burst() != null ? limit.burst() : Math.max(1, limit.requestsPerUnit());
      node.limits.add(
          new LimitRule(
              name,
              limit.requestsPerUnit(),
              limit.unit(),
              limit.unitMultiplier(),
              algorithm,
              burst,
              shadow,
              "",
              replaces,
              HeaderActions.NONE));
    }

    void error(String path, String message) {
      error(path, message, path);
    }

    /** An error on {@code path}, placed at the line of {@code linePath} (or of its parents). */
    private void error(String path, String message, String linePath) {
      problems.add(
          ConfigError.error(new Source(origin, line(linePath)), label, path + ": " + message));
    }

    private int line(String path) {
      String at = path;
      while (true) {
        Integer line = lines.get(at);
        if (line != null) {
          return line;
        }
        int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
        if (cut <= 0) {
          return fileLine;
        }
        at = at.substring(0, cut);
      }
    }
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
