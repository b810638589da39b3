package dev.gatehouse.authz;

import dev.gatehouse.authz.apikey.SecretSource;
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.PublishedDocument;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real control-plane replica ({@link Replicas}, a Hazelcast member on loopback) that publishes
 * ext-authz configurations, and services started as its clients. Close it after the test.
 */
public final class ControlPlaneFixture implements AutoCloseable {
  private final Vertx vertx;
  private final int port = FreePorts.next();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Replicas replicas;

  public ControlPlaneFixture(Vertx vertx) {
    this.vertx = vertx;
    startReplica();
  }

  public Replicas replicas() {
    return replicas;
  }

  /** Starts the replica (again, after {@link #stopReplica}), on the same port. */
  public void startReplica() {
    replicas = Replicas.start(ReplicaOptions.tcp("127.0.0.1", port, List.of()));
  }

  public void stopReplica() {
    replicas.close();
    replicas = null;
  }

  /** A service that takes its configuration from the replica, and OAuth2 state too if given. */
  public ExtAuthzService service(SecretSource secrets, boolean oauth2) {
    return service(secrets, oauth2, Duration.ofSeconds(20));
  }

  /** The same, waiting at most {@code firstWait} for the first configuration at start. */
  public ExtAuthzService service(SecretSource secrets, boolean oauth2, Duration firstWait) {
    ControlPlaneClient client =
        ControlPlaneClient.connect(List.of("127.0.0.1:" + port), "ext-authz-it");
    closing.add(client);
    List<OAuth2Module> modules =
        oauth2
            ? List.of(new OAuth2Module(OAuth2Module.hazelcast(vertx, client::hazelcast)))
            : List.of();
    ExtAuthzService service =
        ExtAuthzService.start(
            vertx,
            new ExtAuthzService.Settings(
                new ControlPlaneConfigSource(client, "default", firstWait),
                secrets,
                "127.0.0.1",
                0,
                -1,
                -1,
                1,
                Duration.ofSeconds(5),
                Services.FAST_JWKS,
                List.copyOf(modules),
                List.copyOf(modules)));
    closing.add(service);
    return service;
  }

  /** Publishes the documents of {@code yaml} (separated by ---) as the ext-authz config. */
  public void publish(String version, String yaml) {
    List<PublishedDocument> documents = new ArrayList<>();
    int line = 1;
    for (String document : yaml.split("(?m)^---\\n")) {
      if (document.isBlank()) {
        continue;
      }
      String name = document.replaceAll("(?s).*\\n  name: (\\S+).*", "$1");
      String kind = document.replaceAll("(?s).*\\nkind: (\\S+).*", "$1");
      documents.add(new PublishedDocument("authz.yaml", line, kind + " default/" + name, document));
      line += document.split("\n", -1).length;
    }
    replicas.publish(
        Map.of(
            Distribution.EXT_AUTHZ,
            new ServiceConfig(Distribution.EXT_AUTHZ, version, documents, "", 0)));
  }

  @Override
  public void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (replicas != null) {
      replicas.close();
    }
  }
}
