package dev.gatehouse.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.Compiler;
import dev.gatehouse.diagnostics.explain.ExplainRequest;
import dev.gatehouse.diagnostics.explain.Explainer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  private static final LoadResult LOADED =
      ResourceLoader.load(Path.of("src/test/resources/explain"));
  private static final Explainer EXPLAINER = new Explainer(LOADED, new Compiler().compile(LOADED));

  private static JsonObject explain(String path, String... headers) {
    return EXPLAINER.explain(
        new ExplainRequest(
            "GET", "http", "example.com", path, ExplainRequest.headers(List.of(headers)), null));
  }

  @Test
  void namesTheMatchingMappingAndTheFailedHeaderOfTheNearMiss() {
    JsonObject explained = explain("/users/42");
    assertThat(explained.getJsonObject("match").getJsonArray("mappings").getList())
        .containsExactly("Mapping default/users");
    JsonObject nearest = explained.getJsonArray("near_misses").getJsonObject(0);
    assertThat(nearest.getJsonArray("mappings").getList())
        .containsExactly("Mapping default/users-prod");
    assertThat(nearest.getJsonArray("failed").getList())
        .containsExactly("header x-env == \"prod\": the header is absent");
  }

  @Test
  void theHeaderSelectsTheOtherMapping() {
    JsonObject explained = explain("/users/42", "x-env: prod");
    assertThat(explained.getJsonObject("match").getJsonArray("mappings").getList())
        .containsExactly("Mapping default/users-prod");
    assertThat(
            explained
                .getJsonObject("action")
                .getJsonArray("clusters")
                .getJsonObject(0)
                .getJsonArray("endpoints")
                .getList())
        .containsExactly("127.0.0.1:9100");
  }

  @Test
  void bypassAuthIsReported() {
    assertThat(explain("/users/42").getJsonObject("authz").getString("status"))
        .isEqualTo("bypassed");
  }

  @Test
  void filterPolicyRuleAndFiltersAreNamed() {
    JsonObject explained = explain("/secure/quote");
    JsonObject authz = explained.getJsonObject("authz");
    assertThat(authz.getString("rule")).isEqualTo("default/demo-policy/0");
    assertThat(authz.getJsonArray("filters").getJsonObject(0).getString("filter"))
        .isEqualTo("default/demo-jwt");
  }

  @Test
  void descriptorsAndTheLimitsTheyHitAreNamed() {
    JsonObject explained = explain("/backend/quote");
    JsonObject limit = explained.getJsonObject("rate_limit");
    assertThat(limit.getString("domain")).isEqualTo("ambassador");
    JsonObject descriptor = limit.getJsonArray("descriptors").getJsonObject(0);
    assertThat(descriptor.getJsonArray("entries").getList()).containsExactly("generic_key=backend");
    assertThat(descriptor.getJsonArray("limits").getList())
        .containsExactly("backend-per-minute: 5 per minute (fixed_window)");
    assertThat(explained.getJsonObject("action").getJsonArray("clusters")).hasSize(2);
  }

  @Test
  void anUnmatchedPathIsA404WithItsNearestMisses() {
    JsonObject explained = explain("/nothing");
    assertThat(explained.getString("verdict")).startsWith("404");
    assertThat(explained.getJsonArray("near_misses")).hasSize(Explainer.NEAR_MISSES);
  }

  @Test
  void theRouteTableGetsEachRoutesRuleAndRequestFreeLimits() {
    io.vertx.core.json.JsonArray routes = new io.vertx.core.json.JsonArray();
    for (var row : new Compiler().compile(LOADED).routeTable()) {
      routes.add(
          new JsonObject()
              .put("route_config", row.routeConfig())
              .put("virtual_host", row.virtualHost())
              .put("route", row.route())
              .put("mappings", row.mappings()));
    }

    EXPLAINER.annotateRoutes(routes);

    JsonObject backend =
        routes.stream()
            .map(JsonObject.class::cast)
            .filter(r -> r.getJsonArray("mappings").contains("Mapping default/quote-backend"))
            .findFirst()
            .orElseThrow();
    assertThat(backend.getString("filter_policy")).isEqualTo("default/demo-policy/1");
    assertThat(backend.getJsonArray("limits").getList())
        .containsExactly(
            "[generic_key=backend]: [backend-per-minute: 5 per minute (fixed_window)]");
  }

  @Test
  void aMalformedHeaderArgumentNamesTheArgument() {
    assertThatThrownBy(() -> ExplainRequest.headers(List.of("novalue")))
        .hasMessage("header: \"novalue\" (expected: Name:Value, e.g. x-env:prod)");
  }
}
