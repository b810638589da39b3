package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.config.auth.Filter;
import dev.gatehouse.config.mapping.Mapping;
import dev.gatehouse.config.ratelimit.RateLimitService;
import dev.gatehouse.config.traffic.Service;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * compose.yaml names files, services, ports and Gatehouse options; each of them must exist: the
 * files in the repository, the services in the file, the ports as the components' defaults, the
 * options in the launcher. The configuration it mounts must load and point at its services.
 */
class ComposeFileTest {
  private static final String IMAGE = "gatehouse:local";
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    Object document =
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(Repo.path("compose.yaml")));
    services = new LinkedHashMap<>();
    ((Map<String, Object>) ((Map<String, Object>) document).get("services"))
        .forEach((name, spec) -> services.put(name, (Map<String, Object>) spec));
  }

  @Test
  void everyDependencyIsADefinedService() {
    services.forEach(
        (name, spec) ->
            dependencies(spec)
                .forEach(
                    target ->
                        assertThat(services)
                            .as(name + " depends_on " + target)
                            .containsKey(target)));
  }

  @Test
  void everyMountedFileExistsInTheRepository() {
    services.forEach(
        (name, spec) -> {
          for (Object volume : list(spec.get("volumes"))) {
            String source = volume.toString().split(":")[0];
            assertThat(source).as(name + " mounts from the repository").startsWith("./");
            assertThat(Repo.path(source.substring(2))).as(name + ": " + source).exists();
          }
          Object build = spec.get("build");
          if (build instanceof Map<?, ?> b) {
            Path context = Repo.path(String.valueOf(b.get("context")));
            assertThat(context.resolve(String.valueOf(b.get("dockerfile")))).isRegularFile();
          }
        });
  }

  @Test
  void gatehouseServicesUseRealSubcommandsOptionsAndVariables() {
    Set<String> checked = new HashSet<>();
    gatehouseServices()
        .forEach(
            (name, spec) -> {
              List<String> command = strings(spec.get("command"));
              String subcommand = command.get(0);
              assertThat(Cli.subcommand(subcommand))
                  .as(name + ": gatehouse " + subcommand + " is a subcommand")
                  .isPresent();
              for (String argument : command.subList(1, command.size())) {
                if (argument.startsWith("-")) {
                  assertThat(Cli.knows(subcommand, argument))
                      .as(name + ": " + argument + " is an option of gatehouse " + subcommand)
                      .isTrue();
                }
              }
              for (String variable : environment(spec).keySet()) {
                assertThat(Cli.variables(subcommand))
                    .as(name + ": gatehouse " + subcommand + " reads")
                    .contains(variable);
              }
              checked.add(subcommand);
            });
    assertThat(checked)
        .contains("control-plane", "edge-proxy", "ext-authz", "ratelimit", "demo-upstream");
  }

  @Test
  void publishedPortsAreTheComponentsDefaults() {
    Set<Integer> listeners =
        Set.of(Cli.defaultPort("run", "--http-port"), Cli.defaultPort("run", "--https-port"));
    assertThat(containerPorts("edge-proxy")).containsExactlyInAnyOrderElementsOf(listeners);
    assertThat(containerPorts("envoy")).containsExactlyInAnyOrderElementsOf(listeners);
    assertThat(containerPorts("control-plane-1"))
        .containsExactly(Cli.defaultPort("control-plane", "--admin-port"));
    assertThat(containerPorts("oidc"))
        .containsExactly(Integer.parseInt(environment(services.get("oidc")).get("SERVER_PORT")));
  }

  @Test
  void stateIsSharedByTwoReplicasOfEachStatefulComponent() {
    List<String> controlPlanes =
        gatehouseServices().entrySet().stream()
            .filter(e -> strings(e.getValue().get("command")).get(0).equals("control-plane"))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(controlPlanes).hasSize(2);
    int hazelcast = Cli.defaultPort("control-plane", "--hazelcast-port");
    for (String controlPlane : controlPlanes) {
      assertThat(
              addresses(environment(services.get(controlPlane)).get("GATEHOUSE_CLUSTER_MEMBERS")))
          .containsExactlyInAnyOrderElementsOf(
              controlPlanes.stream().map(c -> c + ":" + hazelcast).toList());
    }
    for (String service : List.of("ext-authz", "ratelimit")) {
      assertThat(((Map<?, ?>) services.get(service).get("deploy")).get("replicas"))
          .as(service + " replicas")
          .isEqualTo(2);
    }
    assertThat(addresses(environment(services.get("ext-authz")).get("GATEHOUSE_HAZELCAST_CLIENT")))
        .containsExactlyInAnyOrderElementsOf(
            controlPlanes.stream().map(c -> c + ":" + hazelcast).toList());
    int xds = Cli.defaultPort("control-plane", "--xds-port");
    assertThat(addresses(environment(services.get("edge-proxy")).get("GATEHOUSE_XDS")))
        .containsExactlyInAnyOrderElementsOf(
            controlPlanes.stream().map(c -> c + ":" + xds).toList());
    URI redis = URI.create(environment(services.get("ratelimit")).get("GATEHOUSE_REDIS"));
    assertThat(services).containsKey(redis.getHost());
    assertThat(redis.getPort()).isEqualTo(6379);
  }

  @Test
  void theMountedConfigurationLoadsAndPointsAtComposeServices() {
    Path dir = Repo.path(mountSource("control-plane-1"));
    LoadResult result = new ResourceLoader("default").add(dir).result();
    assertThat(result.errors()).as(result.summary()).isEmpty();
    assertThat(result.hasRejections()).as(result.summary()).isFalse();
    for (String service : List.of("control-plane-2", "ext-authz", "ratelimit")) {
      assertThat(mountSource(service))
          .as(service + " reads the same files")
          .isEqualTo(dir.toString().substring(Repo.root().toString().length() + 1));
    }

    Service auth =
        Service.parse(only(result.ofKind(Kind.AUTH_SERVICE, AuthService.class)).authService());
    assertThat(auth.host()).isEqualTo("ext-authz");
    assertThat(auth.port()).isEqualTo(Cli.defaultPort("ext-authz", "--authz-grpc-port"));
    Service rls =
        Service.parse(
            only(result.ofKind(Kind.RATE_LIMIT_SERVICE, RateLimitService.class)).service());
    assertThat(rls.host()).isEqualTo("ratelimit");
    assertThat(rls.port()).isEqualTo(Cli.defaultPort("ratelimit", "--ratelimit-port"));

    List<String> quote = strings(services.get("quote").get("command"));
    int quotePort = Integer.parseInt(quote.get(quote.indexOf("--port") + 1));
    for (var mapping : result.ofKind(Kind.MAPPING, Mapping.class)) {
      Service upstream = mapping.spec().upstream();
      assertThat(services).as(mapping.name() + " service").containsKey(upstream.host());
      assertThat(upstream.port()).as(mapping.name() + " port").isEqualTo(quotePort);
    }
    int oidcPort = Integer.parseInt(environment(services.get("oidc")).get("SERVER_PORT"));
    for (var filter : result.ofKind(Kind.FILTER, Filter.class)) {
      String url =
          filter.spec().jwt() != null
              ? filter.spec().jwt().jwksURI()
              : filter.spec().oauth2().authorizationURL();
      URI provider = URI.create(url);
      assertThat(services).as(filter.name() + " provider").containsKey(provider.getHost());
      assertThat(provider.getPort()).as(filter.name() + " provider port").isEqualTo(oidcPort);
    }
  }

  @Test
  void theEnvoyProfileRunsTheRepositorysBootstrapAgainstTheControlPlanes() throws Exception {
    Map<String, Object> envoy = services.get("envoy");
    assertThat(strings(envoy.get("profiles"))).containsExactly("envoy");
    assertThat(mountSource("envoy")).isEqualTo("deploy/envoy/bootstrap.yaml");
    String bootstrap = Files.readString(Repo.path("deploy/envoy/bootstrap.yaml"));
    assertThat(bootstrap)
        .contains(
            "socket_address: {address: control-plane, port_value: "
                + Cli.defaultPort("control-plane", "--xds-port")
                + "}");
    for (String controlPlane : List.of("control-plane-1", "control-plane-2")) {
      Map<?, ?> networks = (Map<?, ?>) services.get(controlPlane).get("networks");
      assertThat(strings(((Map<?, ?>) networks.get("default")).get("aliases")))
          .as(controlPlane + " answers to the bootstrap's address")
          .contains("control-plane");
    }
  }

  private static Map<String, Map<String, Object>> gatehouseServices() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    services.forEach(
        (name, spec) -> {
          if (IMAGE.equals(spec.get("image"))) {
            out.put(name, spec);
          }
        });
    return out;
  }

  private static String mountSource(String service) {
    String volume = String.valueOf(list(services.get(service).get("volumes")).get(0));
    return volume.split(":")[0].substring(2);
  }

  private static List<Integer> containerPorts(String service) {
    List<Integer> out = new ArrayList<>();
    for (Object port : list(services.get(service).get("ports"))) {
      String[] parts = port.toString().split(":");
      out.add(Integer.parseInt(parts[parts.length - 1]));
    }
    return out;
  }

  private static List<String> addresses(String list) {
    assertThat(list).isNotBlank();
    return List.of(list.split(","));
  }

  private static Set<String> dependencies(Map<String, Object> spec) {
    Object dependsOn = spec.get("depends_on");
    if (dependsOn instanceof Map<?, ?> map) {
      Set<String> out = new HashSet<>();
      map.keySet().forEach(k -> out.add(k.toString()));
      return out;
    }
    return new HashSet<>(strings(dependsOn));
  }

  private static Map<String, String> environment(Map<String, Object> spec) {
    Map<String, String> out = new LinkedHashMap<>();
    Object environment = spec.get("environment");
    if (environment instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(k.toString(), String.valueOf(v)));
    } else {
      for (String entry : strings(environment)) {
        String[] parts = entry.split("=", 2);
        out.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return out;
  }

  private static <T extends Record> T only(List<dev.gatehouse.config.Resource<T>> resources) {
    assertThat(resources).hasSize(1);
    return resources.get(0).spec();
  }

  private static List<?> list(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  private static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }
}
