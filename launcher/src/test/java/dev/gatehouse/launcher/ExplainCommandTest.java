package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir Path dir;

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

  @Test
  void namesTheMappingAndTheNearMissWithNoServerRunning() throws IOException {
    Files.writeString(dir.resolve("users.yaml"), USERS);

    Execution run =
        Execution.of(
            "explain",
            "--config-dir",
            dir.toString(),
            "--host",
            "example.com",
            "--path",
            "/users/1");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Matched: [\"Mapping default/users\"] at [\"users.yaml:9\"]")
        .contains("failed: header x-env == \"prod\": the header is absent")
        .contains("endpoints [\"users:8080\"]");
  }

  @Test
  void aHeaderSelectsTheOtherMappingAndJsonIsAvailable() throws IOException {
    Files.writeString(dir.resolve("users.yaml"), USERS);

    Execution run =
        Execution.of(
            "explain",
            "--config-dir",
            dir.toString(),
            "--host",
            "example.com",
            "--path",
            "/users/1",
            "--header",
            "x-env:prod",
            "--json");

    assertThat(run.exitCode()).isZero();
    JsonObject explained = new JsonObject(run.out());
    assertThat(explained.getJsonObject("match").getJsonArray("mappings").getList())
        .containsExactly("Mapping default/users-prod");
  }

  @Test
  void aMalformedHeaderIsAUsageError() throws IOException {
    Files.writeString(dir.resolve("users.yaml"), USERS);

    Execution run =
        Execution.of(
            "explain",
            "--config-dir",
            dir.toString(),
            "--host",
            "h",
            "--path",
            "/",
            "--header",
            "nocolon");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("header: \"nocolon\" (expected: Name:Value, e.g. x-env:prod)");
  }
}
