package dev.gatehouse.config;

import dev.gatehouse.config.validate.CrossValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
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

  private final LoadAccumulator out = new LoadAccumulator();
  private final ObjectReader objects;

  /** A loader for the installation with this {@code ambassador_id} ("default" normally). */
  public ResourceLoader(String ambassadorId) {
    this.objects = new ObjectReader(ambassadorId, out);
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
      out.rejectFile(Source.of(path.toString()), path.toString(), "no such file or directory");
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
      out.rejectFile(Source.of(path.toString()), path.toString(), "cannot list: " + e.getMessage());
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
      out.rejectFile(Source.of(origin), origin, "cannot read: " + e.getMessage());
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
        objects.read(document, origin);
      }
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      String column =
          e.getProblemMark().map(m -> " (column " + (m.getColumn() + 1) + ")").orElse("");
      out.rejectFile(
          new Source(origin, line),
          origin,
          "not valid YAML" + column + ": " + firstLine(e.getProblem()));
    } catch (YamlEngineException e) {
      out.rejectFile(Source.of(origin), origin, "not valid YAML: " + firstLine(e.getMessage()));
    }
    return this;
  }

  /** The validated result of everything added so far. */
  public LoadResult result() {
    LoadResult validated = CrossValidator.validate(out.toResult());
    List<ConfigError> ordered = new ArrayList<>(validated.problems());
    ordered.sort(
        java.util.Comparator.comparing((ConfigError e) -> e.source().origin())
            .thenComparingInt(e -> e.source().line()));
    return new LoadResult(
        validated.resources(), validated.rejected(), ordered, validated.ignored());
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
