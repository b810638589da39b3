package dev.gatehouse.authz;

import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.authz.apikey.SecretSource;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters and FilterPolicies from a real control-plane replica: applied as published, kept while
 * the replica is gone, followed again when it comes back; nothing allowed before the first.
 */
class ControlPlaneIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEYED =
      ConfigDir.filter("key", "APIKey:\n  keys: [{file: keys.txt}]\n")
          + ConfigDir.policy("api", "rules: [{host: \"*\", path: /api/*, filters: [{name: key}]}]");

  @TempDir Path keys;
  private Vertx vertx;
  private ControlPlaneFixture controlPlane;
  private CheckClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    controlPlane = new ControlPlaneFixture(vertx);
    new ConfigDir(keys).write("keys.txt", "k-1\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    controlPlane.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void policiesPublishedByTheControlPlaneApplyAndOutliveItsAbsence() throws Exception {
    controlPlane.publish("v1", KEYED);
    ExtAuthzService service = controlPlane.service(new FileSecretSource(keys), false);
    client = new CheckClient(vertx, service.grpcPort());

    assertThat(service.isReady()).isTrue();
    assertThat(status(client.get("app", "/api/x", Map.of()))).isEqualTo(401);
    assertThat(status(client.get("app", "/api/x", Map.of("x-api-key", "k-1")))).isEqualTo(200);

    controlPlane.publish(
        "v2", ConfigDir.policy("api", "rules: [{host: \"*\", path: /api/*, filters: null}]"));
    await().atMost(WAIT).until(() -> status(client.get("app", "/api/x", Map.of())) == 200);

    controlPlane.stopReplica();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> status(client.get("app", "/api/x", Map.of())) == 200);

    controlPlane.startReplica();
    controlPlane.publish("v3", KEYED);
    await().atMost(WAIT).until(() -> status(client.get("app", "/api/x", Map.of())) == 401);
  }

  @Test
  void beforeTheFirstPublishedConfigurationEveryCheckIsDenied() {
    ExtAuthzService service =
        controlPlane.service(new FileSecretSource(keys), false, Duration.ofMillis(200));
    client = new CheckClient(vertx, service.grpcPort());

    assertThat(status(client.get("app", "/anything", Map.of()))).isEqualTo(503);
    assertThat(service.isReady()).isFalse();

    controlPlane.publish("v1", KEYED);
    await().atMost(WAIT).until(() -> status(client.get("app", "/anything", Map.of())) == 200);
    assertThat(service.isReady()).isTrue();
  }

  @Test
  void keysOfAKubernetesSecretPublishedInlineByTheControlPlaneAllowOnlyThemselves() {
    // The form control-plane's Kubernetes source publishes for keys: [{secretName: ...}].
    controlPlane.publish(
        "v1",
        ConfigDir.filter("key", "APIKey:\n  keys: [{inlineKey: k-first}, {inlineKey: k-second}]\n")
            + ConfigDir.policy(
                "api", "rules: [{host: \"*\", path: /api/*, filters: [{name: key}]}]"));
    ExtAuthzService service =
        controlPlane.service(
            SecretSource.unavailable("no key files with the control plane"), false);
    client = new CheckClient(vertx, service.grpcPort());

    assertThat(status(client.get("app", "/api/x", Map.of("x-api-key", "k-first")))).isEqualTo(200);
    assertThat(status(client.get("app", "/api/x", Map.of("x-api-key", "k-second")))).isEqualTo(200);
    assertThat(status(client.get("app", "/api/x", Map.of("x-api-key", "k-third")))).isEqualTo(403);
    assertThat(status(client.get("app", "/api/x", Map.of()))).isEqualTo(401);
  }
}
