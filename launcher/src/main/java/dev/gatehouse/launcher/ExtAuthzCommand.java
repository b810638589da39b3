package dev.gatehouse.launcher;

import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    Vertx vertx = Vertx.vertx();
    ExtAuthzService service;
    try {
      service =
          ExtAuthzService.start(
              vertx,
              new ExtAuthzService.Settings(
                  new DirectoryConfigSource(
                      configDir, resources.ambassadorId(), Duration.ofMillis(100)),
                  new FileSecretSource(configDir),
                  "0.0.0.0",
                  authzPorts.grpcPort(),
                  authzPorts.httpPort(),
                  adminPort.adminPort(),
                  Runtime.getRuntime().availableProcessors(),
                  Duration.ofSeconds(5),
                  AuthzRuntime.JwksTimings.DEFAULT,
                  List.of()));
    } catch (RuntimeException e) {
      vertx.close();
      spec.commandLine().getErr().println("gatehouse ext-authz: cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(service, vertx, stopped), "gatehouse-ext-authz-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(service, vertx, stopped);
    }
    return Gatehouse.OK;
  }

  private static void stop(ExtAuthzService service, Vertx vertx, CountDownLatch stopped) {
    try {
      service.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway; nothing useful to do with a failure to close.
    } finally {
      stopped.countDown();
    }
  }
}
