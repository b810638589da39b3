package dev.gatehouse.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.ConfigSource;
import dev.gatehouse.authz.ControlPlaneConfigSource;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.authz.apikey.SecretSource;
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.authz.session.EmbeddedHazelcast;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse ext-authz}: the external authorization service, serving until the process is
 * stopped (or, in tests, the calling thread is interrupted).
 */
@Command(
    name = "ext-authz",
    description = "Runs the ext_authz service (gRPC and HTTP): Filters and FilterPolicies.")
final class ExtAuthzCommand implements Callable<Integer> {
  @Mixin Options.Resources resources;
  @Mixin Options.AuthzPorts authzPorts;
  @Mixin Options.AdminPort adminPort;
  @Mixin Options.SessionCluster sessionCluster;
  @Mixin Options.ControlPlaneSource controlPlaneSource;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<String> controlPlane = controlPlaneSource.addresses();
    if (!controlPlane.isEmpty()
        && (resources.configDir().isPresent()
            || !sessionCluster.members().isEmpty()
            || !sessionCluster.client().isEmpty())) {
      throw new ParameterException(
          spec.commandLine(),
          "--control-plane: given with --config-dir, --hazelcast-members or --hazelcast-client"
              + " (expected: the control plane alone, which holds configuration and sessions)");
    }
    if (controlPlane.isEmpty() && resources.configDir().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "Missing --config-dir: the directory of Filter and FilterPolicy resources"
              + " (or --control-plane HOST:PORT to take them from the control plane)");
    }
    if (!sessionCluster.members().isEmpty() && !sessionCluster.client().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "Give either --hazelcast-members or --hazelcast-client, not both");
    }
    Vertx vertx = Vertx.vertx();
    // Released in reverse order on stop: the service first, then what it uses.
    CloseStack resourcesInUse = new CloseStack();
    ExtAuthzService service;
    try {
      ExtAuthzService.Settings settings;
      if (controlPlane.isEmpty()) {
        LazyHazelcast hazelcast =
            new LazyHazelcast(sessionCluster.members(), sessionCluster.client());
        resourcesInUse.push(hazelcast::shutdown);
        settings =
            settings(
                new DirectoryConfigSource(
                    resources.configDir().get(), resources.ambassadorId(), Duration.ofMillis(100)),
                new FileSecretSource(resources.configDir().get()),
                new OAuth2Module(OAuth2Module.hazelcast(vertx, hazelcast)));
      } else {
        ControlPlaneClient client = ControlPlaneClient.connect(controlPlane, "gatehouse-ext-authz");
        resourcesInUse.push(client);
        settings =
            settings(
                new ControlPlaneConfigSource(
                    client, resources.ambassadorId(), Duration.ofSeconds(10)),
                SecretSource.unavailable("APIKey key files need --config-dir"),
                new OAuth2Module(OAuth2Module.hazelcast(vertx, client::hazelcast)));
      }
      service = ExtAuthzService.start(vertx, settings);
      resourcesInUse.push(service::close);
    } catch (RuntimeException e) {
      resourcesInUse.close();
      vertx.close();
      spec.commandLine().getErr().println("gatehouse ext-authz: cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    UntilStopped.serve(
        () -> {
          resourcesInUse.close();
          vertx.close().await(10, TimeUnit.SECONDS);
        });
    return Gatehouse.OK;
  }

  private ExtAuthzService.Settings settings(
      ConfigSource config, SecretSource secrets, OAuth2Module oauth2) {
    return settings(
        config,
        secrets,
        authzPorts.grpcPort(),
        authzPorts.httpPort(),
        adminPort.adminPort(),
        oauth2);
  }

  /** The service's settings on the given ports; also used by {@code gatehouse run}. */
  static ExtAuthzService.Settings settings(
      ConfigSource config,
      SecretSource secrets,
      int grpcPort,
      int httpPort,
      int adminPort,
      OAuth2Module oauth2) {
    return new ExtAuthzService.Settings(
        config,
        secrets,
        "0.0.0.0",
        grpcPort,
        httpPort,
        adminPort,
        Runtime.getRuntime().availableProcessors(),
        Duration.ofSeconds(5),
        AuthzRuntime.JwksTimings.DEFAULT,
        List.of(oauth2),
        List.of(oauth2));
  }

  /** Starts the embedded Hazelcast member on first use only: most configurations never need it. */
  private static final class LazyHazelcast implements Supplier<HazelcastInstance> {
    private final List<String> members;
    private final List<String> clientOf;
    private HazelcastInstance instance;

    LazyHazelcast(List<String> members, List<String> clientOf) {
      this.members = members;
      this.clientOf = clientOf;
    }

    @Override
    public synchronized HazelcastInstance get() {
      if (instance == null && !clientOf.isEmpty()) {
        instance = EmbeddedHazelcast.client(Distribution.CLUSTER_NAME, clientOf);
      }
      if (instance == null) {
        // Alone: loopback only. With members: any interface, so that they can reach this one.
        instance =
            EmbeddedHazelcast.start(
                "gatehouse-ext-authz", members.isEmpty() ? "127.0.0.1" : null, 5801, members);
      }
      return instance;
    }

    synchronized void shutdown() {
      if (instance != null) {
        instance.shutdown();
      }
    }
  }
}
