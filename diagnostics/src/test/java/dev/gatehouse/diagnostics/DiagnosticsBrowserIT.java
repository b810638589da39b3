package dev.gatehouse.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The diag page, explain and the developer portal in headless Chromium, against a real control
 * plane watching a directory, a real edge-proxy taking its xDS, and two real HTTP upstreams that
 * serve OpenAPI documents.
 */
class DiagnosticsBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PETS_DOC =
      "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Pet Store\",\"version\":\"1.0\"},"
          + "\"paths\":{\"/pets\":{\"get\":{\"summary\":\"List pets\",\"operationId\":"
          + "\"listPets\",\"responses\":{\"200\":{\"description\":\"the pets\"}}}}}}";
  private static final String ORDERS_DOC =
      """
      openapi: 3.0.3
      info: {title: Orders, version: "2.1"}
      paths:
        /orders/{id}:
          get:
            summary: Get one order
            operationId: getOrder
            parameters: [{name: id, in: path, required: true, schema: {type: string}}]
            responses: {"200": {description: the order}}
      """;

  private static Path dir;
  private static Vertx vertx;
  private static HttpServer pets;
  private static HttpServer orders;
  private static ControlPlane controlPlane;
  private static EdgeProxy proxy;
  private static Browser browser;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start();
    dir = Files.createTempDirectory("gatehouse-diag");
    vertx = Vertx.vertx();
    pets = upstream("/openapi.json", "application/json", PETS_DOC);
    orders = upstream("/spec/openapi.yaml", "application/yaml", ORDERS_DOC);
    Files.writeString(dir.resolve("users.yaml"), USERS);
    Files.writeString(
        dir.resolve("docs.yaml"),
        DOCS.replace("PETS", String.valueOf(pets.actualPort()))
            .replace("ORDERS", String.valueOf(orders.actualPort())));
    List<Integer> ports = FreePorts.next(3);
    int proxyAdmin = ports.get(2);
    controlPlane =
        new ControlPlane(
            vertx,
            new ControlPlaneOptions(
                dir,
                "default",
                "127.0.0.1",
                0,
                0,
                new CompilerOptions("127.0.0.1", ports.get(0), ports.get(1)),
                Duration.ofMillis(50),
                null));
    Diagnostics.install(
        vertx,
        controlPlane,
        new DiagnosticsOptions(
            URI.create("http://127.0.0.1:" + ports.get(0)),
            Duration.ofMillis(500),
            Duration.ofSeconds(5),
            URI.create("http://127.0.0.1:" + proxyAdmin)));
    controlPlane.start().await(60, TimeUnit.SECONDS);
    proxy =
        new EdgeProxy(
                vertx,
                new EdgeProxyOptions(
                    List.of(
                        new EdgeProxyOptions.Address("127.0.0.1", controlPlane.xds().actualPort())),
                    "diag-test",
                    "edge-proxy",
                    "127.0.0.1",
                    proxyAdmin))
            .start()
            .await(60, TimeUnit.SECONDS);
    admin = "http://127.0.0.1:" + controlPlane.adminPort();
  }

  private static HttpServer upstream(String path, String type, String body) throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              if (request.path().equals(path)) {
                request.response().putHeader("content-type", type).end(body);
              } else {
                request.response().setStatusCode(404).end("not found\n");
              }
            })
        .listen(0, "127.0.0.1")
        .await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (proxy != null) {
      proxy.close().await(20, TimeUnit.SECONDS);
    }
    if (controlPlane != null) {
      controlPlane.close().await(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser.driver, WAIT, Duration.ofMillis(200));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** The text of the first element that matches, "" if none (or if the live part was replaced). */
  private static String text(String css) {
    try {
      List<WebElement> found = browser.driver.findElements(By.cssSelector(css));
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (StaleElementReferenceException e) {
      return "";
    }
  }

  private static void openDiagAndMark() {
    browser.driver.get(admin + "/ambassador/v0/diag/");
    waiting().until(d -> !text("#routes").isEmpty());
    // Survives only if the page is updated in place, never reloaded.
    browser.driver.executeScript("window.gatehouseMarker = 'same page';");
  }

  private static Object marker() {
    return browser.driver.executeScript("return window.gatehouseMarker;");
  }

  @Test
  void theDiagPageShowsANewlyAddedMappingWithoutAReload() throws Exception {
    openDiagAndMark();
    assertThat(text("#routes")).doesNotContain("Mapping default/added");

    Files.writeString(
        dir.resolve("added.yaml"),
        "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: added}\n"
            + "spec:\n  prefix: /added/\n  service: added:8080\n");

    waiting().until(d -> text("#routes").contains("Mapping default/added"));
    browser.screenshot("diag-new-mapping");
    assertThat(text("#routes")).contains("added.yaml:1");
    assertThat(marker()).isEqualTo("same page");
  }

  @Test
  void theDiagPageShowsEachEndpointsStateFromTheEdgeProxy() throws Exception {
    String endpoint = "127.0.0.1:" + pets.actualPort();
    waiting()
        .until(
            d -> {
              d.get(admin + "/ambassador/v0/diag/");
              return text("#clusters").contains(endpoint + " healthy");
            });
    browser.screenshot("diag-endpoint-state");
  }

  @Test
  void aBadResourceShowsItsErrorWithFileLineAndField() throws Exception {
    openDiagAndMark();
    Files.writeString(
        dir.resolve("bad.yaml"),
        "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: bad}\n"
            + "spec:\n  prefix: /bad/\n  service: bad:8080\n  timeout_ms: -5\n");
    try {
      waiting().until(d -> text("#problems").contains("bad.yaml:7"));
      browser.screenshot("diag-bad-resource");
      assertThat(text("#problems")).contains("Mapping default/bad").contains("timeout_ms");
      assertThat(text("#rejected")).contains("Mapping default/bad");
      assertThat(marker()).isEqualTo("same page");
    } finally {
      Files.delete(dir.resolve("bad.yaml"));
    }
  }

  @Test
  void explainNamesTheMatchingMappingAndTheFailedConditionOfANearMiss() throws Exception {
    browser.driver.get(admin + "/ambassador/v0/diag/");
    WebElement form = browser.driver.findElement(By.id("explain"));
    WebElement host = form.findElement(By.name("host"));
    host.clear();
    host.sendKeys("example.com");
    WebElement path = form.findElement(By.name("path"));
    path.clear();
    path.sendKeys("/users/42");
    browser.driver.findElement(By.id("explain-submit")).click();

    waiting().until(d -> text("#explain-text").contains("Matched:"));
    browser.screenshot("diag-explain");
    String explained = text("#explain-text");
    assertThat(explained)
        .contains("Matched: [\"Mapping default/users\"]")
        .contains("[\"Mapping default/users-prod\"]")
        .contains("failed: header x-env == \"prod\": the header is absent");
  }

  @Test
  void thePortalListsTwoApisAndRendersAnOperationOfEach() throws Exception {
    try {
      waiting()
          .until(
              d -> {
                d.get(admin + "/docs/");
                return d.findElements(By.cssSelector("tr.api a")).size() == 2;
              });
    } catch (TimeoutException e) {
      browser.screenshot("portal-index-timeout");
      throw new AssertionError("the portal never listed two APIs:\n" + text("body"), e);
    }
    browser.screenshot("portal-index");
    assertThat(text("#apis")).contains("Pet Store API").contains("Orders API");
    // The third API's document cannot be fetched: listed with the error.
    assertThat(text("tr.api[data-api='default-broken-docs'] td.error"))
        .contains("HTTP 404 (expected: 2xx)");

    assertOperation("default-pets", "/pets", "portal-pets");
    assertOperation("default-orders", "/orders/{id}", "portal-orders");
  }

  private static void assertOperation(String api, String path, String screenshot)
      throws IOException {
    browser.driver.get(admin + "/docs/api/" + api + "/");
    waiting()
        .until(
            d ->
                d.findElements(By.cssSelector(".opblock-summary-path")).stream()
                    .anyMatch(e -> e.getText().replace("\u200b", "").equals(path)));
    browser.screenshot(screenshot);
  }

  private static final String USERS =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: users-prod}
      spec:
        prefix: /users/
        service: users-prod:8080
        headers: {x-env: prod}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: users}
      spec:
        prefix: /users/
        service: users:8080
      """;

  // pets: docs.path through the edge-proxy; orders: docs.url straight to the upstream (YAML).
  private static final String DOCS =
      """
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: pets}
      spec:
        prefix: /pets-api/
        service: http://127.0.0.1:PETS
        docs: {path: /openapi.json, display_name: Pet Store API}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: orders}
      spec:
        prefix: /orders-api/
        service: http://127.0.0.1:ORDERS
        docs: {url: "http://127.0.0.1:ORDERS/spec/openapi.yaml", display_name: Orders API}
      ---
      apiVersion: getambassador.io/v3alpha1
      kind: Mapping
      metadata: {name: broken-docs}
      spec:
        prefix: /broken/
        service: http://127.0.0.1:ORDERS
        docs: {url: "http://127.0.0.1:ORDERS/missing.json"}
      """;
}
