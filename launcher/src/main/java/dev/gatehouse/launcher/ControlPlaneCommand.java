package dev.gatehouse.launcher;

import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.kubernetes.KubernetesOptions;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.diagnostics.Diagnostics;
import dev.gatehouse.diagnostics.DiagnosticsOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gatehouse control-plane}: watches resources, compiles them, serves xDS. */
@Command(
    name = "control-plane",
    description =
        "Watches resources (a directory or Kubernetes), compiles them and serves them over xDS.")
final class ControlPlaneCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin Options.Resources resources;

  @Option(
      names = "--kubernetes",
      description =
          "Watch getambassador.io resources, Ingresses, Services, EndpointSlices and Secrets in"
              + " the Kubernetes cluster (in-cluster service account, or ~/.kube/config).")
  boolean kubernetes;

  @Mixin Options.Kubernetes kubernetesOptions;

  @Mixin Options.AdminPort adminPort;
  @Mixin Options.ControlPlanePorts controlPlanePorts;
  @Mixin Options.ControlPlaneCluster cluster;
  @Mixin DiagnosticsFlags diagnostics;

  /**
   * The explain endpoint and developer portal's settings ({@code gatehouse run} derives its own
   * from its ports).
   */
  static final class DiagnosticsFlags {
    @Option(
        names = "--docs-base-url",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:8080",
        description =
            "Where the developer portal fetches docs.path documents: an edge-proxy listener, so"
                + " they come through the Mapping's route.")
    URI docsBaseUrl;

    @Option(
        names = "--docs-refresh-seconds",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description = "How often the portal fetches every API document again.")
    int docsRefreshSeconds;

    @Option(
        names = "--edge-proxy-admin-url",
        paramLabel = "URL",
        description =
            "An edge-proxy's admin address (e.g. http://127.0.0.1:8001): the diag page then"
                + " shows each endpoint's health and outlier state from its /clusters.")
    URI edgeProxyAdminUrl;

    DiagnosticsOptions options() {
      return new DiagnosticsOptions(
          docsBaseUrl,
          Duration.ofSeconds(docsRefreshSeconds),
          DiagnosticsOptions.DEFAULT_TIMEOUT,
          edgeProxyAdminUrl);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (kubernetes && resources.configDir().isPresent()) {
      throw new ParameterException(
          spec.commandLine(), "--kubernetes and --config-dir: give one source, not both");
    }
    Path dir =
        kubernetes
            ? null
            : resources
                .configDir()
                .orElseThrow(
                    () ->
                        new ParameterException(
                            spec.commandLine(),
                            "Missing required option: --config-dir=DIR (or --kubernetes)"));
    if (dir != null && !Files.exists(dir)) {
      throw new ParameterException(
          spec.commandLine(), "--config-dir: " + dir + ": no such file or directory");
    }
    ControlPlaneOptions options =
        new ControlPlaneOptions(
            dir,
            resources.ambassadorId(),
            "0.0.0.0",
            controlPlanePorts.xdsPort(),
            adminPort.adminPort(),
            dev.gatehouse.controlplane.compile.CompilerOptions.DEFAULTS,
            Duration.ofMillis(100),
            new ReplicaOptions(
                Distribution.CLUSTER_NAME,
                "0.0.0.0",
                controlPlanePorts.hazelcastPort(),
                cluster.members(),
                cluster.dnsService().orElse(null),
                Duration.ofHours(24)));
    DiagnosticsOptions diagnosticsOptions;
    try {
      diagnosticsOptions = diagnostics.options();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    KubernetesClient client = kubernetes ? new KubernetesClientBuilder().build() : null;
    ControlPlane controlPlane =
        new ControlPlane(
            vertx,
            options,
            new KubernetesOptions(
                kubernetesOptions.namespace().orElse(null),
                kubernetesOptions.ingressClass(),
                kubernetesOptions.statusAddress().orElse(null),
                Duration.ofMillis(100)),
            client);
    Diagnostics.install(vertx, controlPlane, diagnosticsOptions);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(() -> stop(controlPlane, vertx, stopped, client), "gatehouse-shutdown");
    try {
      controlPlane.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      stop(controlPlane, vertx, stopped, client);
      spec.commandLine().getErr().println("gatehouse control-plane: cannot start: " + e);
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "gatehouse control-plane: xDS on port %d, admin on port %d, Hazelcast member %s,"
            + " watching %s%n",
        controlPlane.xds().actualPort(),
        controlPlane.adminPort(),
        controlPlane.replicas().memberId(),
        dir != null
            ? dir
            : "Kubernetes "
                + kubernetesOptions
                    .namespace()
                    .map(n -> "namespace " + n)
                    .orElse("(all namespaces)"));
    out.flush();
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Asked to stop in-process (tests, the all-in-one mode): shut down cleanly.
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(controlPlane, vertx, stopped, client);
    }
    return Gatehouse.OK;
  }

  private static void stop(
      ControlPlane controlPlane, Vertx vertx, CountDownLatch stopped, KubernetesClient client) {
    try {
      controlPlane.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway; nothing more to release.
    } finally {
      if (client != null) {
        client.close();
      }
      stopped.countDown();
    }
  }
}
