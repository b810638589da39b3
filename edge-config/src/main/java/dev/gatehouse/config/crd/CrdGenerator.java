package dev.gatehouse.config.crd;

import dev.gatehouse.config.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a Kubernetes CustomResourceDefinition for every {@code getambassador.io/v3alpha1} kind
 * that Gatehouse serves ({@link Kind}), with the spec schema from {@link SchemaGenerator}. The Helm
 * chart ships the output in {@code helm/gatehouse/crds/}; a test in {@code packaging/} fails when
 * the committed files differ from what this generates.
 *
 * <p>Run {@code main} with the target directory to regenerate the files.
 */
public final class CrdGenerator {
  public static final String GROUP = "getambassador.io";
  public static final String VERSION = "v3alpha1";

  static final String HEADER =
      "# Generated from the edge-config records by dev.gatehouse.config.crd.CrdGenerator: do not"
          + " edit.\n"
          + "# Regenerate: mvn -B -pl packaging -am test -Dtest=CrdFilesTest"
          + " -Dgatehouse.crd.write=true -Dsurefire.failIfNoSpecifiedTests=false\n";

  private CrdGenerator() {}

  /** The file name and YAML text of each kind's CRD, in {@link Kind} order. */
  public static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      files.put(GROUP + "_" + plural(kind) + ".yaml", HEADER + yaml(crd(kind)));
    }
    return files;
  }

  /** The CRD of one kind, as an ordered map. */
  public static Map<String, Object> crd(Kind kind) {
    Map<String, Object> spec = new LinkedHashMap<>(SchemaGenerator.schemaOf(kind.specType()));
    spec.put("description", "The spec of a " + kind.yamlName() + ", as Gatehouse reads it.");
    @SuppressWarnings("unchecked")
    Map<String, Object> properties =
        new LinkedHashMap<>((Map<String, Object>) spec.get("properties"));
    // Common to every kind; the loader reads it before binding the rest of the spec.
    Map<String, Object> ambassadorId = new LinkedHashMap<>();
    ambassadorId.put(
        "description",
        "The installations (--ambassador-id) that serve this resource: one id or a list;"
            + " absent means \"default\".");
    ambassadorId.put(SchemaGenerator.PRESERVE, true);
    properties.put("ambassador_id", ambassadorId);
    spec.put("properties", properties);
    spec = ordered(spec, List.of("description", "type", "required", "properties"));

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("type", "object");
    root.put("required", List.of("spec"));
    Map<String, Object> rootProperties = new LinkedHashMap<>();
    rootProperties.put("apiVersion", Map.of("type", "string"));
    rootProperties.put("kind", Map.of("type", "string"));
    rootProperties.put("metadata", Map.of("type", "object"));
    rootProperties.put("spec", spec);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("description", "Written by the Gatehouse control plane.");
    status.put("type", "object");
    status.put(SchemaGenerator.PRESERVE, true);
    rootProperties.put("status", status);
    root.put("properties", rootProperties);

    Map<String, Object> version = new LinkedHashMap<>();
    version.put("name", VERSION);
    version.put("served", true);
    version.put("storage", true);
    version.put("schema", Map.of("openAPIV3Schema", root));
    version.put("subresources", Map.of("status", Map.of()));
    List<Map<String, Object>> columns = printerColumns(kind);
    if (!columns.isEmpty()) {
      version.put("additionalPrinterColumns", columns);
    }

    Map<String, Object> names = new LinkedHashMap<>();
    names.put("kind", kind.yamlName());
    names.put("listKind", kind.yamlName() + "List");
    names.put("plural", plural(kind));
    names.put("singular", kind.yamlName().toLowerCase(Locale.ROOT));
    names.put("categories", List.of("ambassador-crds", "gatehouse"));

    Map<String, Object> crdSpec = new LinkedHashMap<>();
    crdSpec.put("group", GROUP);
    crdSpec.put("names", names);
    crdSpec.put("scope", "Namespaced");
    crdSpec.put("versions", List.of(version));

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", plural(kind) + "." + GROUP);
    metadata.put("labels", Map.of("app.kubernetes.io/part-of", "gatehouse"));

    Map<String, Object> crd = new LinkedHashMap<>();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.put("metadata", metadata);
    crd.put("spec", crdSpec);
    return crd;
  }

  /** What {@code kubectl get} shows besides the name and age: the fields people look for first. */
  private static List<Map<String, Object>> printerColumns(Kind kind) {
    List<String[]> columns =
        switch (kind) {
          case MAPPING ->
              List.of(
                  new String[] {"Hostname", ".spec.hostname"},
                  new String[] {"Prefix", ".spec.prefix"},
                  new String[] {"Service", ".spec.service"});
          case HOST -> List.<String[]>of(new String[] {"Hostname", ".spec.hostname"});
          case AUTH_SERVICE ->
              List.of(
                  new String[] {"Service", ".spec.auth_service"},
                  new String[] {"Proto", ".spec.proto"});
          case RATE_LIMIT_SERVICE ->
              List.of(
                  new String[] {"Service", ".spec.service"},
                  new String[] {"Domain", ".spec.domain"});
          case RATE_LIMIT -> List.<String[]>of(new String[] {"Domain", ".spec.domain"});
          default -> List.of();
        };
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (String[] column : columns) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("name", column[0]);
      definition.put("type", "string");
      definition.put("jsonPath", column[1]);
      out.add(definition);
    }
    if (!out.isEmpty()) {
      Map<String, Object> age = new LinkedHashMap<>();
      age.put("name", "Age");
      age.put("type", "date");
      age.put("jsonPath", ".metadata.creationTimestamp");
      out.add(age);
    }
    return out;
  }

  /** The CRD's plural resource name: {@code mappings}, {@code filterpolicies}. */
  public static String plural(Kind kind) {
    String singular = kind.yamlName().toLowerCase(Locale.ROOT);
    return singular.endsWith("y")
        ? singular.substring(0, singular.length() - 1) + "ies"
        : singular + "s";
  }

  static String yaml(Map<String, Object> document) {
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(100)
            .setSplitLines(true)
            .build();
    return new Dump(settings).dumpToString(document);
  }

  private static Map<String, Object> ordered(Map<String, Object> map, List<String> first) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : first) {
      if (map.containsKey(key)) {
        out.put(key, map.get(key));
      }
    }
    map.forEach(out::putIfAbsent);
    return out;
  }

  /** Writes the CRD files into the directory given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CrdGenerator DIR");
      System.exit(2);
    }
    write(Path.of(args[0]));
  }

  /** Writes every CRD file into dir, and deletes generated files of kinds no longer served. */
  public static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> files = files();
    try (var existing = Files.list(dir)) {
      for (Path file : existing.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(GROUP + "_") && !files.containsKey(name)) {
          Files.delete(file);
        }
      }
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
    }
  }
}
