package dev.gatehouse.controlplane.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ParsedFile;
import dev.gatehouse.config.ResourceLoader;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental compiler against the full one: after every edit of a sequence (Mappings edited,
 * added to a group and removed, files deleted and added, routes that fail to compile, a Host
 * edited), its output equals a full compilation of the same resources, byte for byte. Files are
 * parsed as edge-config's watcher parses them: an unchanged file keeps its resource objects.
 */
class IncrementalCompilerTest {
  private final Map<String, String> files = new TreeMap<>();
  private final Map<String, ParsedFile> parsed = new HashMap<>();
  private final IncrementalCompiler incremental = new IncrementalCompiler(CompilerOptions.DEFAULTS);

  private static String golden(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/golden", name, "input.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String mapping(int i, String prefix) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: gen"
        + i
        + ", namespace: team"
        + (i % 3)
        + "}\nspec:\n  prefix: "
        + prefix
        + "\n  service: svc"
        + (i % 11)
        + ":8080\n"
        + (i % 4 == 0 ? "  headers: {x-tenant: t" + (i % 5) + "}\n" : "")
        + (i % 6 == 0 ? "  retry_policy: {retry_on: 5xx, num_retries: 2}\n" : "")
        + "---\n";
  }

  private static String generated(int from, int count, Map<Integer, String> overrides) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      out.append(overrides.getOrDefault(i, mapping(i, "/gen/" + (i % 40) + "/x" + i + "/")));
    }
    return out.toString();
  }

  /** Loads the files, parsing only those whose text changed, as the watcher does. */
  private LoadResult load() {
    ResourceLoader loader = new ResourceLoader();
    parsed.keySet().retainAll(files.keySet());
    files.forEach(
        (name, text) -> {
          ParsedFile file = parsed.get(name);
          if (file == null || !texts.get(name).equals(text)) {
            file = ResourceLoader.parse(text, name, "default");
            parsed.put(name, file);
            texts.put(name, text);
          }
          loader.add(file);
        });
    return loader.result();
  }

  private final Map<String, String> texts = new HashMap<>();

  /** Compiles incrementally and fully, asserts they agree, and returns the routes compiled. */
  private int compileAndCompare() {
    return compileAndCompare(ClusterDirectory.NONE);
  }

  private int compileAndCompare(ClusterDirectory directory) {
    LoadResult loaded = load();
    CompiledConfig fromKept = incremental.compile(loaded, directory);
    CompiledConfig full = new Compiler().compile(loaded, directory);
    assertThat(XdsJson.print(fromKept)).isEqualTo(XdsJson.print(full));
    for (int i = 0; i < full.routes().size(); i++) {
      RouteConfiguration expected = full.routes().get(i);
      assertThat(Names.deterministicBytes(fromKept.routes().get(i)))
          .isEqualTo(Names.deterministicBytes(expected));
    }
    assertThat(fromKept.problems()).isEqualTo(full.problems());
    assertThat(fromKept.routeTable()).isEqualTo(full.routeTable());
    assertThat(fromKept.routesVersion()).isEqualTo(full.routesVersion());
    assertThat(fromKept.clustersVersion()).isEqualTo(full.clustersVersion());
    assertThat(fromKept).isEqualTo(full);
    return incremental.lastCompiled();
  }

  @Test
  void aSequenceOfEditsCompilesExactlyAsAFullCompilation() {
    files.put("hosts.yaml", golden("hosts-tls"));
    files.put("canary.yaml", golden("weighted-canary"));
    files.put("shadow.yaml", golden("shadow"));
    files.put("match.yaml", golden("match-kinds"));
    files.put("rewrites.yaml", golden("rewrites"));
    files.put("redirects.yaml", golden("redirects"));
    files.put("labels.yaml", golden("rate-limit-labels"));
    for (int f = 0; f < 8; f++) {
      files.put("gen-" + f + ".yaml", generated(f * 30, 30, Map.of()));
    }
    int first = compileAndCompare();
    assertThat(first).isGreaterThan(240);

    // One Mapping's prefix. The file is parsed again, so its 30 Mappings are new objects and their
    // routes are compiled again, for each of the 4 hosts; the routes of the other files are kept.
    files.put("gen-0.yaml", generated(0, 30, Map.of(7, mapping(7, "/edited/"))));
    assertThat(compileAndCompare()).isBetween(1, 30 * 4);

    // A canary joins an existing route (weighted clusters), then leaves it.
    String withCanary = mapping(130, "/gen/10/x130/") + mapping(1001, "/gen/10/x130/");
    files.put("gen-4.yaml", generated(120, 30, Map.of(130, withCanary)));
    assertThat(compileAndCompare()).isBetween(1, 31 * 4);
    assertThat(incremental.compile(load(), ClusterDirectory.NONE).routeTable())
        .anySatisfy(row -> assertThat(row.clusters()).hasSize(2));
    files.put("gen-4.yaml", generated(120, 30, Map.of()));
    compileAndCompare();

    // Files deleted and added; routes that fail to compile (only shadows; zero weights).
    files.remove("shadow.yaml");
    compileAndCompare();
    files.put(
        "broken.yaml",
        """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: only-shadow}
        spec: {prefix: /shadowed/, service: mirror, shadow: true}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: zero-a}
        spec: {prefix: /zero/, service: a, weight: 0}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata: {name: zero-b}
        spec: {prefix: /zero/, service: b, weight: 0}
        """);
    compileAndCompare();
    assertThat(incremental.compile(load(), ClusterDirectory.NONE).problems()).hasSizeGreaterThan(1);
    files.put("shadow.yaml", golden("shadow"));
    compileAndCompare();

    // A Host edited: every route may depend on the hosts, so everything is compiled again.
    files.put("hosts.yaml", golden("hosts-tls").replace("shop.example.com", "store.example.com"));
    assertThat(compileAndCompare()).isGreaterThan(240);

    // The same resources again: nothing to compile.
    assertThat(compileAndCompare()).isZero();

    // Many Mappings changed at once (more than half): compiled from scratch, still equal.
    for (int f = 0; f < 8; f++) {
      files.put("gen-" + f + ".yaml", generated(f * 30, 30, Map.of()).replace("/gen/", "/moved/"));
    }
    compileAndCompare();
  }

  /** Kubernetes Services for the generated Mappings' upstreams, each with one endpoint. */
  private static ClusterDirectory services(String endpointPrefix, int port) {
    Map<String, ClusterDirectory.KubeService> services = new HashMap<>();
    for (int ns = 0; ns < 3; ns++) {
      for (int svc = 0; svc < 11; svc++) {
        String namespace = "team" + ns;
        String name = "svc" + svc;
        services.put(
            namespace + "/" + name,
            new ClusterDirectory.KubeService(
                namespace,
                name,
                List.of(
                    new ClusterDirectory.Port(
                        "http",
                        port,
                        List.of(new ClusterDirectory.Address(endpointPrefix + svc, 9000 + ns))))));
      }
    }
    return new ClusterDirectory(true, services, Map.of());
  }

  @Test
  void changedEndpointsKeepEveryRouteButAChangedServicePortCompilesThemAgain() {
    for (int f = 0; f < 4; f++) {
      files.put("gen-" + f + ".yaml", generated(f * 30, 30, Map.of()));
    }
    assertThat(compileAndCompare(services("10.0.0.", 8080))).isEqualTo(120);

    // A Deployment scaled: new endpoints, the same Services and ports.
    ClusterDirectory scaled = services("10.0.1.", 8080);
    assertThat(compileAndCompare(scaled)).as("routes compiled again").isZero();
    assertThat(incremental.compile(load(), scaled).endpoints())
        .isNotEmpty()
        .allSatisfy(
            a ->
                assertThat(
                        a.getEndpoints(0)
                            .getLbEndpoints(0)
                            .getEndpoint()
                            .getAddress()
                            .getSocketAddress()
                            .getAddress())
                    .startsWith("10.0.1."));

    // The Services' port changed: the Mappings' :8080 no longer resolves, every route may differ.
    assertThat(compileAndCompare(services("10.0.1.", 8081))).isEqualTo(120);
  }

  @Test
  void aMappingThatIsNotTheSameObjectButEqualIsCompiledAgainToTheSameRoute() {
    files.put("gen-a.yaml", generated(0, 50, Map.of()));
    compileAndCompare();
    parsed.clear(); // every file parsed again: new objects, equal content

    LoadResult loaded = load();
    CompiledConfig before = new Compiler().compile(loaded);
    CompiledConfig after = incremental.compile(loaded, ClusterDirectory.NONE);

    assertThat(after).isEqualTo(before);
  }

  @Test
  void theRoutesVersionIsTheSameFunctionOfContentWhoeverComputesIt() {
    files.put("gen-a.yaml", generated(0, 30, Map.of()));
    CompiledConfig compiled = incremental.compile(load(), ClusterDirectory.NONE);

    CompiledConfig rebuilt =
        new CompiledConfig(
            compiled.listeners(),
            compiled.routes(),
            compiled.clusters(),
            compiled.problems(),
            compiled.routeTable());

    assertThat(rebuilt.routesVersion()).isEqualTo(compiled.routesVersion());
    assertThat(Names.routesVersion(List.of(), Map.of())).isNotEqualTo(compiled.routesVersion());
  }
}
