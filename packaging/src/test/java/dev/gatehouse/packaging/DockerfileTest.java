package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * No Docker daemon runs here, so the Dockerfile is checked by reading it: what it copies exists and
 * is not ignored, the jar it takes is the one the build writes, the user is not root, and the
 * entrypoint, health check and exposed ports are the launcher's.
 */
class DockerfileTest {
  private static List<String> instructions;

  @BeforeAll
  static void read() throws Exception {
    instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Repo.path("Dockerfile"))) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        current.append(trimmed);
        instructions.add(current.toString().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
  }

  @Test
  void buildsWithMavenAndRunsOnAJre() {
    List<String> stages = starting("FROM ");
    assertThat(stages).hasSize(2);
    assertThat(stages.get(0)).isEqualTo("FROM maven:3-eclipse-temurin-17 AS build");
    assertThat(stages.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
  }

  @Test
  void everyCopiedSourceExistsAndIsNotIgnored() throws Exception {
    List<PathMatcher> ignored = new ArrayList<>();
    for (String line : Files.readAllLines(Repo.path(".dockerignore"))) {
      String pattern = line.strip();
      if (!pattern.isEmpty() && !pattern.startsWith("#")) {
        String glob = pattern.endsWith("/") ? pattern + "**" : pattern;
        ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      }
    }
    for (String copy : starting("COPY ")) {
      if (copy.contains("--from=")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(copy.substring(5).split(" ")));
      words.removeIf(w -> w.startsWith("--"));
      for (String source : words.subList(0, words.size() - 1)) {
        Path path = Repo.path(source);
        assertThat(path).as(copy).exists();
        if (!source.equals(".")) {
          assertThat(ignored)
              .as(source + " is in .dockerignore")
              .noneMatch(m -> m.matches(Path.of(source)));
        }
      }
    }
    // The build stage copies the whole tree: every module's pom must get into it.
    for (String module : modules()) {
      Path pom = Path.of(module, "pom.xml");
      assertThat(ignored).as(pom + " is in .dockerignore").noneMatch(m -> m.matches(pom));
    }
  }

  @Test
  void theRuntimeTakesTheJarTheBuildWrites() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Repo.path("launcher/pom.xml").toFile());
    String finalName = pom.getElementsByTagName("finalName").item(0).getTextContent().strip();
    String built = "launcher/target/" + finalName + ".jar";
    assertThat(pom.getElementsByTagName("shadedArtifactAttached").item(0).getTextContent())
        .as("the shaded jar replaces the plain one")
        .isEqualTo("false");
    String run = only(starting("RUN --mount=type=cache,target=/root/.m2"));
    assertThat(run)
        .contains("-pl launcher -am package")
        .contains("cp " + built + " /gatehouse.jar");
    assertThat(starting("COPY --from=build"))
        .containsExactly("COPY --from=build /gatehouse.jar /opt/gatehouse/gatehouse.jar");
    String script = Files.readString(Repo.path("deploy/docker/gatehouse"));
    assertThat(script)
        .contains("exec java ${GATEHOUSE_JAVA_OPTS:-} -jar /opt/gatehouse/gatehouse.jar \"$@\"");
    assertThat(Files.isExecutable(Repo.path("deploy/docker/gatehouse"))).isTrue();
    assertThat(starting("COPY --chmod=0755 deploy/docker/gatehouse"))
        .containsExactly("COPY --chmod=0755 deploy/docker/gatehouse /usr/local/bin/gatehouse");
    assertThat(starting("ENTRYPOINT")).containsExactly("ENTRYPOINT [\"gatehouse\"]");
  }

  @Test
  void theBuiltJarRunsTheLauncher() throws Exception {
    Path jar = Repo.path("launcher/target/gatehouse.jar");
    Assumptions.assumeTrue(
        Files.isRegularFile(jar),
        "SKIPPED: launcher/target/gatehouse.jar is not built in this run (mvn verify builds it"
            + " before this module's tests)");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.gatehouse.launcher.Gatehouse");
    }
  }

  @Test
  void runsAsTheNonRootUserTheChartExpects() throws Exception {
    assertThat(starting("USER ")).containsExactly("USER 10001:10001");
    String values = Files.readString(Repo.path("helm/gatehouse/values.yaml"));
    assertThat(values).contains("runAsUser: 10001").contains("runAsGroup: 10001");
    assertThat(only(starting("RUN apt-get"))).contains("--uid 10001 --gid 10001");
  }

  @Test
  void theHealthCheckAsksTheAdminPortIfReady() {
    String check = only(starting("HEALTHCHECK "));
    int admin = Cli.defaultPort("control-plane", "--admin-port");
    assertThat(check)
        .contains("http://127.0.0.1:${GATEHOUSE_ADMIN_PORT:-" + admin + "}/ready")
        .contains("curl -fsS");
    for (String subcommand : List.of("control-plane", "edge-proxy", "ext-authz", "ratelimit")) {
      assertThat(Cli.defaultPort(subcommand, "--admin-port")).isEqualTo(admin);
      assertThat(Cli.variables(subcommand)).contains("GATEHOUSE_ADMIN_PORT");
    }
  }

  @Test
  void exposesTheDefaultPorts() {
    Set<Integer> exposed = new TreeSet<>();
    for (String word : only(starting("EXPOSE ")).substring(7).split(" ")) {
      exposed.add(Integer.parseInt(word));
    }
    Set<Integer> defaults =
        new TreeSet<>(
            List.of(
                Cli.defaultPort("run", "--http-port"),
                Cli.defaultPort("run", "--https-port"),
                Cli.defaultPort("run", "--admin-port"),
                Cli.defaultPort("ratelimit", "--ratelimit-port"),
                Cli.defaultPort("ext-authz", "--authz-grpc-port"),
                Cli.defaultPort("ext-authz", "--authz-http-port"),
                Cli.defaultPort("control-plane", "--xds-port"),
                Cli.defaultPort("control-plane", "--hazelcast-port")));
    assertThat(exposed).isEqualTo(defaults);
  }

  private static List<String> modules() throws Exception {
    String pom = Files.readString(Repo.path("pom.xml"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> starting(String prefix) {
    return instructions.stream().filter(i -> i.startsWith(prefix)).toList();
  }

  private static String only(List<String> matches) {
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }
}
