package dev.gatehouse.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.authz.session.EmbeddedHazelcast;
import dev.gatehouse.config.distribution.Distribution;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path configDir =
        resources
            .configDir()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "Missing --config-dir: the directory of Filter and FilterPolicy resources"
                            + " (or GATEHOUSE_CONFIG_DIR)"));
    if (!sessionCluster.members().isEmpty() && !sessionCluster.client().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "Give either --hazelcast-members or --hazelcast-client, not both");
    }
    Vertx vertx = Vertx.vertx();
    LazyHazelcast hazelcast = new LazyHazelcast(sessionCluster.members(), sessionCluster.client());
    OAuth2Module oauth2 = new OAuth2Module(OAuth2Module.hazelcast(vertx, hazelcast));
    ExtAuthzService service;
    try {
      service =
          ExtAuthzService.start(
              vertx,
              settings(
                  configDir,
                  resources.ambassadorId(),
                  authzPorts.grpcPort(),
                  authzPorts.httpPort(),
                  adminPort.adminPort(),
                  oauth2));
    } catch (RuntimeException e) {
      hazelcast.shutdown();
      vertx.close();
      spec.commandLine().getErr().println("gatehouse ext-authz: cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(() -> stop(service, hazelcast, vertx, stopped), "gatehouse-ext-authz-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(service, hazelcast, vertx, stopped);
    }
    return Gatehouse.OK;
  }

  /** The service's settings for a directory of resources; also used by {@code gatehouse run}. */
  static ExtAuthzService.Settings settings(
      Path configDir,
      String ambassadorId,
      int grpcPort,
      int httpPort,
      int adminPort,
      OAuth2Module oauth2) {
    return new ExtAuthzService.Settings(
        new DirectoryConfigSource(configDir, ambassadorId, Duration.ofMillis(100)),
        new FileSecretSource(configDir),
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

  private static void stop(
      ExtAuthzService service, LazyHazelcast hazelcast, Vertx vertx, CountDownLatch stopped) {
    try {
      service.close();
      hazelcast.shutdown();
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway; nothing useful to do with a failure to close.
    } finally {
      stopped.countDown();
    }
  }

  /** Starts the embedded Hazelcast member on first use only: most configurations never need it. */
  static final class LazyHazelcast implements Supplier<HazelcastInstance> {
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
