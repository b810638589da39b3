package dev.gatehouse.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressRoutesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static Ingress ingress(String yaml) {
    return YAML.unmarshal(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            + "metadata: {name: web, namespace: shop}\n"
            + yaml,
        Ingress.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> document) {
    return (Map<String, Object>) document.get("spec");
  }

  private static final IngressRoutes.Classes AMBASSADOR = IngressRoutes.Classes.named("ambassador");

  static IngressClass ingressClass(String name, String controller, boolean isDefault) {
    return YAML.unmarshal(
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: "
            + name
            + "\n"
            + (isDefault
                ? "  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\n"
                : "")
            + "spec: {controller: "
            + controller
            + "}\n",
        IngressClass.class);
  }

  @Test
  void theClassNameOrTheLegacyAnnotationMakesAnIngressOurs() {
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: ambassador}\n"), AMBASSADOR))
        .isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: nginx}\n"), AMBASSADOR))
        .isFalse();
    Ingress annotated =
        YAML.unmarshal(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a, namespace: b,"
                + " annotations: {kubernetes.io/ingress.class: ambassador}}\nspec: {}\n",
            Ingress.class);
    assertThat(IngressRoutes.ours(annotated, AMBASSADOR)).isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {}\n"), AMBASSADOR))
        .as("no class, and ours is not the default")
        .isFalse();
  }

  @Test
  void ingressClassesOfOurControllerAreOursAndTheDefaultOneTakesClasslessIngresses() {
    IngressRoutes.Classes classes =
        IngressRoutes.Classes.of(
            "ambassador",
            List.of(
                ingressClass("edge", IngressRoutes.CONTROLLER, false),
                ingressClass("nginx", "k8s.io/ingress-nginx", true)));

    assertThat(classes.names()).containsExactlyInAnyOrder("ambassador", "edge");
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: edge}\n"), classes)).isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: nginx}\n"), classes)).isFalse();
    assertThat(IngressRoutes.ours(ingress("spec: {}\n"), classes))
        .as("the default class is another controller's")
        .isFalse();

    IngressRoutes.Classes defaulted =
        IngressRoutes.Classes.of(
            "ambassador",
            List.of(
                ingressClass("edge", IngressRoutes.CONTROLLER, true),
                ingressClass("nginx", "k8s.io/ingress-nginx", false)));
    assertThat(defaulted.isDefault()).isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {}\n"), defaulted)).isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: nginx}\n"), defaulted))
        .as("an explicit other class stays the other controller's")
        .isFalse();
  }

  @Test
  void pathTypesHostsBackendsAndTlsBecomeMappingsAndTlsContexts() {
    IngressRoutes.Translation translation =
        IngressRoutes.translate(
            ingress(
                "spec:\n  rules:\n  - host: shop.example\n    http:\n      paths:\n"
                    + "      - {path: /api.v1, pathType: Prefix,"
                    + " backend: {service: {name: api, port: {name: http}}}}\n"
                    + "      - {path: /ping, pathType: Exact,"
                    + " backend: {service: {name: api, port: {number: 81}}}}\n"
                    + "      - {path: /legacy, pathType: ImplementationSpecific,"
                    + " backend: {service: {name: api, port: {number: 81}}}}\n"
                    + "  tls: [{hosts: [shop.example], secretName: shop-cert}]\n"),
            (ns, service, port) ->
                ns.equals("shop") && service.equals("api") && port.equals("http")
                    ? Optional.of(8080)
                    : Optional.empty());

    assertThat(translation.problems()).isEmpty();
    List<Map<String, Object>> docs = translation.documents();
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactly("Mapping", "Mapping", "Mapping", "TLSContext");
    assertThat(spec(docs.get(0)))
        .containsEntry("hostname", "shop.example")
        .containsEntry("prefix", "/api\\.v1(/.*)?")
        .containsEntry("prefix_regex", true)
        .containsEntry("rewrite", "")
        .containsEntry("service", "api.shop:8080");
    assertThat(spec(docs.get(1)))
        .containsEntry("prefix", "/ping")
        .containsEntry("prefix_exact", true);
    assertThat(spec(docs.get(2)))
        .containsEntry("prefix", "/legacy")
        .doesNotContainKey("prefix_regex");
    assertThat(spec(docs.get(3)))
        .containsEntry("hosts", List.of("shop.example"))
        .containsEntry("secret", "shop-cert");
  }

  @Test
  void unsupportedBackendsAndUnknownPortNamesAreErrorsNamingTheField() {
    IngressRoutes.Translation translation =
        IngressRoutes.translate(
            ingress(
                "spec:\n  defaultBackend: {resource: {kind: Bucket, name: b}}\n"
                    + "  rules:\n  - http:\n      paths:\n"
                    + "      - {path: /, pathType: Prefix,"
                    + " backend: {service: {name: api, port: {name: nope}}}}\n"),
            (ns, service, port) -> Optional.empty());

    assertThat(translation.documents()).isEmpty();
    assertThat(translation.problems())
        .containsExactly(
            "spec.defaultBackend.service: required (expected: a Service backend; resource"
                + " backends are not supported)",
            "spec.rules[0].http.paths[0].backend.service.port.name: \"nope\" (expected: a port"
                + " name of Service shop/api)");
  }
}
