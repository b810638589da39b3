package dev.gatehouse.diagnostics.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiCatalogTest {
  private static final String MAPPINGS =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: pets}
      spec:
        prefix: /pets/
        hostname: api.example.com
        service: pets
        docs: {path: /openapi.json}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: orders}
      spec:
        prefix: /orders/
        service: orders
        docs: {url: "https://docs.example.com/orders.yaml", display_name: Orders, timeout_ms: 900}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: hidden}
      spec:
        prefix: /hidden/
        service: hidden
        docs: {path: /openapi.json, ignored: true}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: plain}
      spec:
        prefix: /plain/
        service: plain
      """;

  @Test
  void listsMappingsWithDocsAndFetchesPathsThroughTheirRoute() {
    LoadResult loaded = new ResourceLoader().addText(MAPPINGS, "apis.yaml").result();

    List<ApiDoc> apis = ApiCatalog.of(loaded, URI.create("http://edge:8080/"), 5000);

    assertThat(apis).extracting(ApiDoc::id).containsExactly("default-orders", "default-pets");
    ApiDoc orders = apis.get(0);
    assertThat(orders.url()).isEqualTo("https://docs.example.com/orders.yaml");
    assertThat(orders.displayName()).isEqualTo("Orders");
    assertThat(orders.timeoutMs()).isEqualTo(900);
    ApiDoc pets = apis.get(1);
    assertThat(pets.url()).isEqualTo("http://edge:8080/pets/openapi.json");
    assertThat(pets.hostHeader()).isEqualTo("api.example.com");
    assertThat(pets.source()).startsWith("apis.yaml:");
    assertThat(pets.error()).isEqualTo("not fetched yet");
  }

  @Test
  void onlyOpenApi3DocumentsAreAccepted() {
    assertThat(OpenApiCheck.problem("{\"openapi\":\"3.1.0\",\"paths\":{}}")).isNull();
    assertThat(OpenApiCheck.problem("openapi: 3.0.3\npaths: {}\n")).isNull();
    assertThat(OpenApiCheck.problem("{\"swagger\":\"2.0\"}"))
        .isEqualTo("openapi: null (expected: an OpenAPI 3 document, openapi: 3.x)");
    assertThat(OpenApiCheck.problem("")).startsWith("empty document");
    assertThat(OpenApiCheck.problem("{not json")).startsWith("not JSON");
  }
}
