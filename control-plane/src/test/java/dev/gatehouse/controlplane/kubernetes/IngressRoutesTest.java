package dev.gatehouse.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
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

  @Test
  void theClassNameOrTheLegacyAnnotationMakesAnIngressOurs() {
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: ambassador}\n"), "ambassador"))
        .isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {ingressClassName: nginx}\n"), "ambassador"))
        .isFalse();
    Ingress annotated =
        YAML.unmarshal(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a, namespace: b,"
                + " annotations: {kubernetes.io/ingress.class: ambassador}}\nspec: {}\n",
            Ingress.class);
    assertThat(IngressRoutes.ours(annotated, "ambassador")).isTrue();
    assertThat(IngressRoutes.ours(ingress("spec: {}\n"), "ambassador")).isFalse();
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
