package dev.gatehouse.controlplane.kubernetes;

import static dev.gatehouse.controlplane.xds.AdsClient.CLUSTERS;
import static dev.gatehouse.controlplane.xds.AdsClient.ENDPOINTS;
import static dev.gatehouse.controlplane.xds.AdsClient.ROUTES;
import static dev.gatehouse.controlplane.xds.AdsClient.SECRETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.ApiKeyFilter;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.Compiler;
import dev.gatehouse.controlplane.xds.AdsClient;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes source against fabric8's mock API server in CRUD mode, seen through a real ADS
 * client over loopback: what is created, changed and deleted in the cluster reaches the proxy.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceIT {
  // Instance fields: a fresh API server per test.
  KubernetesMockServer server;
  KubernetesClient client;

  private Vertx vertx;
  private ControlPlane controlPlane;

  @BeforeEach
  void start() throws Exception {
    for (Kind kind : Kind.values()) {
      server.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup(AmbassadorKinds.GROUP)
              .withVersion(AmbassadorKinds.VERSION)
              .withKind(kind.yamlName())
              .withPlural(AmbassadorKinds.plural(kind))
              .withScope("Namespaced")
              .withStatusSubresource(true)
              .build());
    }
    vertx = Vertx.vertx();
  }

  private void startControlPlane() throws Exception {
    controlPlane =
        new ControlPlane(
            vertx,
            ControlPlaneOptions.defaults(null).withPorts("127.0.0.1", 0, 0),
            new KubernetesOptions(null, "ambassador", "10.0.0.9", Duration.ofMillis(50)),
            client);
    controlPlane.start().await(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (controlPlane != null) {
      controlPlane.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String mapping(String name, String prefix, String extra) {
    return "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: "
        + name
        + ", namespace: default}\nspec:\n  prefix: "
        + prefix
        + "\n  service: "
        + name
        + "\n"
        + extra;
  }

  private GenericKubernetesResource cr(String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  private void apply(Kind kind, String yaml) {
    client
        .genericKubernetesResources(AmbassadorKinds.context(kind))
        .inNamespace("default")
        .resource(cr(yaml))
        .createOr(r -> r.update());
  }

  private <T extends HasMetadata> T load(String yaml, Class<T> type) {
    return client.getKubernetesSerialization().unmarshal(yaml, type);
  }

  private static List<String> prefixes(DiscoveryResponse routes) throws Exception {
    List<String> out = new ArrayList<>();
    RouteConfiguration config = routes.getResources(0).unpack(RouteConfiguration.class);
    config
        .getVirtualHostsList()
        .forEach(
            v ->
                v.getRoutesList().stream()
                    .map(Route::getMatch)
                    .forEach(
                        m ->
                            out.add(
                                m.hasSafeRegex()
                                    ? "~" + m.getSafeRegex().getRegex()
                                    : m.getPath().isEmpty() ? m.getPrefix() : "=" + m.getPath())));
    return out;
  }

  private AdsClient routesClient() throws Exception {
    AdsClient ads = new AdsClient(controlPlane.xds().actualPort(), "proxy-1");
    ads.subscribe(ROUTES, Compiler.HTTP_ROUTES);
    return ads;
  }

  @Test
  void createdUpdatedAndDeletedMappingsReachTheAdsStream() throws Exception {
    apply(Kind.MAPPING, mapping("quote", "/quote/", ""));
    startControlPlane();
    try (AdsClient ads = routesClient()) {
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES))).containsExactly("/quote/");

      apply(Kind.MAPPING, mapping("orders", "/orders/", ""));
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("/quote/", "/orders/");

      apply(Kind.MAPPING, mapping("quote", "/quotes/", ""));
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("/quotes/", "/orders/");

      client
          .genericKubernetesResources(AmbassadorKinds.context(Kind.MAPPING))
          .inNamespace("default")
          .withName("orders")
          .delete();
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES))).containsExactly("/quotes/");
    }
  }

  @Test
  void anEditKeepsTheOtherMappingsResourceObjectsSoOnlyItsRouteIsCompiledAgain() throws Exception {
    apply(Kind.MAPPING, mapping("quote", "/quote/", ""));
    apply(Kind.MAPPING, mapping("orders", "/orders/", ""));
    apply(Kind.MAPPING, mapping("users", "/users/", ""));
    startControlPlane();
    try (AdsClient ads = routesClient()) {
      ads.nextOf(ROUTES, Compiler.HTTP_ROUTES);
      Map<String, Resource<?>> before = mappingsByName();

      apply(Kind.MAPPING, mapping("orders", "/orders/v2/", ""));
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("/quote/", "/orders/v2/", "/users/");

      Map<String, Resource<?>> after = mappingsByName();
      assertThat(after.get("quote")).isSameAs(before.get("quote"));
      assertThat(after.get("users")).isSameAs(before.get("users"));
      assertThat(after.get("orders")).isNotSameAs(before.get("orders"));
    }
  }

  private Map<String, Resource<?>> mappingsByName() {
    Map<String, Resource<?>> out = new java.util.HashMap<>();
    controlPlane.state().loaded().resources().forEach(r -> out.put(r.name(), r));
    return out;
  }

  @Test
  void aBadMappingGetsItsErrorInItsStatusAndTheLastGoodVersionKeepsServing() throws Exception {
    apply(Kind.MAPPING, mapping("quote", "/quote/", ""));
    startControlPlane();
    String before = controlPlane.xds().publisher().current().routes();

    apply(Kind.MAPPING, mapping("quote", "/broken/", "  timeout_ms: -5\n"));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Object status =
                  client
                      .genericKubernetesResources(AmbassadorKinds.context(Kind.MAPPING))
                      .inNamespace("default")
                      .withName("quote")
                      .get()
                      .getAdditionalProperties()
                      .get("status");
              assertThat(status).isInstanceOf(Map.class);
              assertThat(((Map<?, ?>) status).get("state")).isEqualTo("Inactive");
              assertThat((String) ((Map<?, ?>) status).get("reason"))
                  .contains("spec.timeout_ms")
                  .contains("-5");
            });
    assertThat(controlPlane.state().loaded().problems().toString())
        .contains("kubernetes:Mapping/default/quote");
    assertThat(controlPlane.xds().publisher().current().routes()).isEqualTo(before);

    apply(Kind.MAPPING, mapping("quote", "/fixed/", ""));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        ((Map<?, ?>)
                                client
                                    .genericKubernetesResources(
                                        AmbassadorKinds.context(Kind.MAPPING))
                                    .inNamespace("default")
                                    .withName("quote")
                                    .get()
                                    .getAdditionalProperties()
                                    .get("status"))
                            .get("state"))
                    .isEqualTo("Running"));
  }

  @Test
  void onlyResourcesForThisAmbassadorIdAreServed() throws Exception {
    apply(Kind.MAPPING, mapping("mine", "/mine/", ""));
    apply(Kind.MAPPING, mapping("theirs", "/theirs/", "  ambassador_id: [other]\n"));
    apply(Kind.MAPPING, mapping("both", "/both/", "  ambassador_id: [other, default]\n"));
    startControlPlane();
    try (AdsClient ads = routesClient()) {
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("/mine/", "/both/");
    }
  }

  static String slice(String... ips) {
    StringBuilder endpoints = new StringBuilder();
    for (String ip : ips) {
      endpoints.append("- addresses: [").append(ip).append("]\n  conditions: {ready: true}\n");
    }
    endpoints.append("- addresses: [10.1.0.99]\n  conditions: {ready: false}\n");
    return "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: quote-abc\n"
        + "  namespace: default\n  labels: {kubernetes.io/service-name: quote}\n"
        + "addressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints:\n"
        + endpoints;
  }

  private static List<String> endpoints(DiscoveryResponse eds) throws Exception {
    List<String> out = new ArrayList<>();
    for (var any : eds.getResourcesList()) {
      ClusterLoadAssignment assignment = any.unpack(ClusterLoadAssignment.class);
      assignment
          .getEndpointsList()
          .forEach(
              l ->
                  l.getLbEndpointsList()
                      .forEach(
                          e -> {
                            var address = e.getEndpoint().getAddress().getSocketAddress();
                            out.add(address.getAddress() + ":" + address.getPortValue());
                          }));
    }
    return out;
  }

  @Test
  void endpointSliceChangesSendOnlyTheServicesLoadAssignment() throws Exception {
    client
        .resource(
            load(
                "apiVersion: v1\nkind: Service\nmetadata: {name: quote, namespace: default}\n"
                    + "spec:\n  ports: [{name: http, port: 80, targetPort: 8080}]\n",
                io.fabric8.kubernetes.api.model.Service.class))
        .create();
    client
        .resource(
            load(
                slice("10.1.0.1"),
                io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class))
        .create();
    apply(Kind.MAPPING, mapping("quote", "/quote/", ""));
    startControlPlane();
    try (AdsClient ads = new AdsClient(controlPlane.xds().actualPort(), "proxy-1")) {
      ads.subscribe(CLUSTERS);
      DiscoveryResponse cds = ads.nextOf(CLUSTERS);
      Cluster cluster = cds.getResources(0).unpack(Cluster.class);
      assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
      assertThat(cluster.hasLoadAssignment()).isFalse();
      ads.subscribe(ENDPOINTS, cluster.getName());
      assertThat(endpoints(ads.nextOf(ENDPOINTS, cluster.getName())))
          .containsExactly("10.1.0.1:8080");

      // Scale up: one more ready endpoint; only EDS moves.
      client
          .resource(
              load(
                  slice("10.1.0.1", "10.1.0.2"),
                  io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class))
          .update();
      DiscoveryResponse up = ads.next();
      assertThat(up.getTypeUrl()).isEqualTo(ENDPOINTS);
      assertThat(endpoints(up)).containsExactly("10.1.0.1:8080", "10.1.0.2:8080");
      ads.ack(up, cluster.getName());

      // Scale down.
      client
          .resource(
              load(
                  slice("10.1.0.2"),
                  io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class))
          .update();
      DiscoveryResponse down = ads.next();
      assertThat(down.getTypeUrl()).isEqualTo(ENDPOINTS);
      assertThat(endpoints(down)).containsExactly("10.1.0.2:8080");
      ads.ack(down, cluster.getName());
      assertThat(ads.nextWithin(500)).as("the cluster itself did not change").isNull();
      assertThat(controlPlane.xds().publisher().current().clusters())
          .isEqualTo(cds.getVersionInfo());
    }
  }

  @Test
  void anIngressOfOurClassBecomesRoutesAndGetsTheStatusAddress() throws Exception {
    client
        .resource(
            load(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                    + "metadata: {name: web, namespace: default}\n"
                    + "spec:\n  ingressClassName: ambassador\n  rules:\n"
                    + "  - http:\n      paths:\n"
                    + "      - {path: /app, pathType: Prefix,"
                    + " backend: {service: {name: web, port: {number: 80}}}}\n"
                    + "      - {path: /health, pathType: Exact,"
                    + " backend: {service: {name: web, port: {number: 80}}}}\n",
                Ingress.class))
        .create();
    client
        .resource(
            load(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                    + "metadata: {name: other, namespace: default}\n"
                    + "spec:\n  ingressClassName: nginx\n"
                    + "  defaultBackend: {service: {name: x, port: {number: 80}}}\n",
                Ingress.class))
        .create();
    startControlPlane();
    try (AdsClient ads = routesClient()) {
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("~/app(/.*)?", "=/health");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Ingress web =
                  client.network().v1().ingresses().inNamespace("default").withName("web").get();
              assertThat(web.getStatus().getLoadBalancer().getIngress())
                  .singleElement()
                  .satisfies(i -> assertThat(i.getIp()).isEqualTo("10.0.0.9"));
            });
    Ingress other =
        client.network().v1().ingresses().inNamespace("default").withName("other").get();
    assertThat(other.getStatus() == null || other.getStatus().getLoadBalancer() == null)
        .as("another class's Ingress is left alone")
        .isTrue();
  }

  @Test
  void anIngressClassOfOurControllerMarkedDefaultTakesIngressesWithoutAClass() throws Exception {
    client
        .resource(
            load(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                    + "metadata: {name: web, namespace: default}\n"
                    + "spec:\n  ingressClassName: ambassador\n  rules:\n"
                    + "  - http:\n      paths:\n"
                    + "      - {path: /app, pathType: Exact,"
                    + " backend: {service: {name: web, port: {number: 80}}}}\n",
                Ingress.class))
        .create();
    client
        .resource(
            load(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                    + "metadata: {name: classless, namespace: default}\n"
                    + "spec:\n  rules:\n"
                    + "  - http:\n      paths:\n"
                    + "      - {path: /later, pathType: Exact,"
                    + " backend: {service: {name: web, port: {number: 80}}}}\n",
                Ingress.class))
        .create();
    startControlPlane();
    try (AdsClient ads = routesClient()) {
      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .as("no default class yet")
          .containsExactly("=/app");

      client
          .resource(
              load(
                  "apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
                      + "metadata:\n  name: edge\n"
                      + "  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\n"
                      + "spec: {controller: getambassador.io/ingress-controller}\n",
                  io.fabric8.kubernetes.api.model.networking.v1.IngressClass.class))
          .create();

      assertThat(prefixes(ads.nextOf(ROUTES, Compiler.HTTP_ROUTES)))
          .containsExactlyInAnyOrder("=/app", "=/later");
    }
  }

  @Test
  void aTlsSecretNamedByAHostIsServedOverSds() throws Exception {
    String certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    String key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    client
        .resource(
            load(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: cert, namespace: default}\n"
                    + "type: kubernetes.io/tls\ndata:\n  tls.crt: "
                    + Base64.getEncoder().encodeToString(certificate.getBytes())
                    + "\n  tls.key: "
                    + Base64.getEncoder().encodeToString(key.getBytes())
                    + "\n",
                io.fabric8.kubernetes.api.model.Secret.class))
        .create();
    apply(
        Kind.HOST,
        "apiVersion: getambassador.io/v3alpha1\nkind: Host\n"
            + "metadata: {name: example, namespace: default}\n"
            + "spec: {hostname: example.com, tlsSecret: {name: cert}}\n");
    startControlPlane();
    try (AdsClient ads = new AdsClient(controlPlane.xds().actualPort(), "proxy-1")) {
      ads.subscribe(SECRETS, "cert.default");
      DiscoveryResponse sds = ads.nextOf(SECRETS, "cert.default");
      Secret secret = sds.getResources(0).unpack(Secret.class);
      assertThat(secret.getName()).isEqualTo("cert.default");
      assertThat(secret.getTlsCertificate().getCertificateChain().getInlineString())
          .isEqualTo(certificate);
      assertThat(secret.getTlsCertificate().getPrivateKey().getInlineString()).isEqualTo(key);
    }
    assertThat(controlPlane.state().compiled().toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void anOAuth2SecretNameReachesTheServicesConfigAsItsValueOnly() throws Exception {
    client
        .resource(
            load(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: sso, namespace: default}\n"
                    + "data: {oauth2-client-secret: "
                    + Base64.getEncoder().encodeToString("s3cr3t-value".getBytes())
                    + "}\n",
                io.fabric8.kubernetes.api.model.Secret.class))
        .create();
    apply(
        Kind.FILTER,
        "apiVersion: getambassador.io/v3alpha1\nkind: Filter\n"
            + "metadata: {name: sso, namespace: default}\nspec:\n  OAuth2:\n"
            + "    authorizationURL: https://idp.example/\n    clientID: gatehouse\n"
            + "    secretName: sso\n"
            + "    protectedOrigins: [{origin: 'https://app.example'}]\n");
    try (KubernetesSource source =
        new KubernetesSource(client, KubernetesOptions.defaults(), "default", s -> {})) {
      var loaded = source.start();
      var filter = loaded.ofKind(Kind.FILTER, dev.gatehouse.config.auth.Filter.class).get(0);

      var published = source.document(filter).orElseThrow();

      assertThat(loaded.errors()).isEmpty();
      assertThat(published.origin()).isEqualTo("kubernetes:Filter/default/sso");
      assertThat(published.yaml()).contains("s3cr3t-value").doesNotContain("secretName");
      assertThat(loaded.toString()).doesNotContain("s3cr3t-value");
    }
  }

  @Test
  void anOAuth2SecretNameWithoutItsSecretIsAnErrorOnTheFilter() throws Exception {
    apply(
        Kind.FILTER,
        "apiVersion: getambassador.io/v3alpha1\nkind: Filter\n"
            + "metadata: {name: sso, namespace: default}\nspec:\n  OAuth2:\n"
            + "    authorizationURL: https://idp.example/\n    clientID: gatehouse\n"
            + "    secretName: missing\n"
            + "    protectedOrigins: [{origin: 'https://app.example'}]\n");
    try (KubernetesSource source =
        new KubernetesSource(client, KubernetesOptions.defaults(), "default", s -> {})) {
      assertThat(source.start().errors().toString())
          .contains(
              "kubernetes:Filter/default/sso: Filter default/sso: spec.OAuth2.secretName: Secret"
                  + " default/missing not found (expected: a Secret with the key"
                  + " oauth2-client-secret)");
    }
  }

  @Test
  void anApiKeySecretNameReachesTheServicesConfigAsOneInlineKeyPerValue() throws Exception {
    client
        .resource(
            load(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: api-keys, namespace: default}\n"
                    + "data: {key-1: "
                    + Base64.getEncoder().encodeToString("k-first".getBytes())
                    + ", key-2: "
                    + Base64.getEncoder().encodeToString("k-second\n".getBytes())
                    + ", key-3: "
                    + Base64.getEncoder().encodeToString("0123".getBytes())
                    + "}\n",
                io.fabric8.kubernetes.api.model.Secret.class))
        .create();
    apply(
        Kind.FILTER,
        "apiVersion: getambassador.io/v3alpha1\nkind: Filter\n"
            + "metadata: {name: keyed, namespace: default}\nspec:\n  APIKey:\n"
            + "    keys: [{secretName: api-keys}, {file: other.txt}]\n");
    try (KubernetesSource source =
        new KubernetesSource(client, KubernetesOptions.defaults(), "default", s -> {})) {
      var loaded = source.start();
      var filter = loaded.ofKind(Kind.FILTER, dev.gatehouse.config.auth.Filter.class).get(0);

      var published = source.document(filter).orElseThrow();
      var keys =
          new dev.gatehouse.config.ResourceLoader("default")
              .addText(published.yaml(), published.origin())
              .result()
              .ofKind(Kind.FILTER, dev.gatehouse.config.auth.Filter.class)
              .get(0)
              .spec()
              .apiKey()
              .keys();

      assertThat(loaded.errors()).isEmpty();
      assertThat(published.yaml()).doesNotContain("secretName");
      assertThat(keys)
          .containsExactly(
              new ApiKeyFilter.KeySource(null, null, "k-first"),
              new ApiKeyFilter.KeySource(null, null, "k-second"),
              new ApiKeyFilter.KeySource(null, null, "0123"),
              new ApiKeyFilter.KeySource(null, "other.txt", null));
      assertThat(loaded.toString()).doesNotContain("k-first");
    }
  }

  @Test
  void anApiKeySecretNameWithoutItsSecretIsAnErrorOnTheFilter() throws Exception {
    apply(
        Kind.FILTER,
        "apiVersion: getambassador.io/v3alpha1\nkind: Filter\n"
            + "metadata: {name: keyed, namespace: default}\nspec:\n  APIKey:\n"
            + "    keys: [{secretName: missing}]\n");
    try (KubernetesSource source =
        new KubernetesSource(client, KubernetesOptions.defaults(), "default", s -> {})) {
      assertThat(source.start().errors().toString())
          .contains(
              "kubernetes:Filter/default/keyed: Filter default/keyed: spec.APIKey.keys[0].secretName:"
                  + " Secret default/missing not found (expected: a Secret whose data values are"
                  + " the API keys)");
    }
  }
}
