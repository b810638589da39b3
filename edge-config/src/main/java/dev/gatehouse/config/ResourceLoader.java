package dev.gatehouse.config;

import dev.gatehouse.config.validate.CrossValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * <p>Not thread-safe: use one loader per load. {@link #parse} is a pure function and may run
 * anywhere.
 */
public final class ResourceLoader {

  private final LoadAccumulator out = new LoadAccumulator();
  private final String ambassadorId;

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
      out.rejectFile(Source.of(path.toString()), path.toString(), "no such file or directory");
      return this;
    }
    List<Path> files;
    try {
      files = yamlFiles(path);
    } catch (IOException | UncheckedIOException e) {
      out.rejectFile(Source.of(path.toString()), path.toString(), "cannot list: " + e.getMessage());
      return this;
    }
    for (Path file : files) {
      addFile(file, path.relativize(file).toString());
    }
    return this;
  }

  /**
   * The files {@link #add(Path)} reads under a directory, in the order it reads them: {@code .yaml}
   * and {@code .yml} files, symlinks followed, names starting with a dot skipped.
   */
  public static List<Path> yamlFiles(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(p -> !hidden(directory.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  /** Adds the resources of one file, named in errors by {@code origin}. */
  public ResourceLoader addFile(Path file, String origin) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException | UncheckedIOException e) {
      return add(unreadable(origin, e));
    }
    return add(parse(content, origin, ambassadorId));
  }

  /** Adds the resources in a YAML text (one or more documents), named in errors by origin. */
  public ResourceLoader addText(String text, String origin) {
    return add(parse(text, origin, ambassadorId));
  }

  /** Adds a file parsed before; the result is the same as reading the file here. */
  public ResourceLoader add(ParsedFile file) {
    out.add(file);
    return this;
  }

  /**
   * Parses the content of one file (UTF-8) for the installation with this {@code ambassador_id},
   * named in errors by {@code origin}; see {@link ParsedFile}.
   */
  public static ParsedFile parse(byte[] content, String origin, String ambassadorId) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      return unreadable(origin, e);
    }
    return parse(text, origin, ambassadorId);
  }

  /** Parses a YAML text (one or more documents); see {@link ParsedFile}. */
  public static ParsedFile parse(String text, String origin, String ambassadorId) {
    LoadAccumulator file = LoadAccumulator.forOneFile();
    ObjectReader objects = new ObjectReader(ambassadorId, file);
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
      file.rejectFile(
          new Source(origin, line),
          origin,
          "not valid YAML" + column + ": " + firstLine(e.getProblem()));
    } catch (YamlEngineException e) {
      file.rejectFile(Source.of(origin), origin, "not valid YAML: " + firstLine(e.getMessage()));
    }
    return file.toParsedFile(origin);
  }

  /** A file that could not be read, reported as {@link #addFile} reports it. */
  public static ParsedFile unreadable(String origin, Exception e) {
    LoadAccumulator file = LoadAccumulator.forOneFile();
    file.rejectFile(Source.of(origin), origin, "cannot read: " + e.getMessage());
    return file.toParsedFile(origin);
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
