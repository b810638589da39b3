package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a control plane.
 *
 * @param configDir the watched directory (or file) of getambassador.io YAML; null when the
 *     resources come from Kubernetes
 * @param xdsPort 0 for any free port (tests)
 * @param adminPort 0 for any free port (tests)
 * @param pollInterval how often the directory is checked; a change applies after it is quiet for as
 *     long
 */
public record ControlPlaneOptions(
    Path configDir,
    String ambassadorId,
    String bindHost,
    int xdsPort,
    int adminPort,
    CompilerOptions compiler,
    Duration pollInterval,
    ReplicaOptions replicas) {

  public ControlPlaneOptions {
    Objects.requireNonNull(ambassadorId, "ambassadorId");
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(compiler, "compiler");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** The defaults of the architecture: xDS on 18000, admin on 8877, all interfaces. */
  public static ControlPlaneOptions defaults(Path configDir) {
    return new ControlPlaneOptions(
        configDir,
        "default",
        "0.0.0.0",
        18000,
        8877,
        CompilerOptions.DEFAULTS,
        Duration.ofMillis(100),
        null);
  }

  public ControlPlaneOptions withPorts(String host, int xds, int admin) {
    return new ControlPlaneOptions(
        configDir, ambassadorId, host, xds, admin, compiler, pollInterval, replicas);
  }

  public ControlPlaneOptions withReplicas(ReplicaOptions options) {
    return new ControlPlaneOptions(
        configDir, ambassadorId, bindHost, xdsPort, adminPort, compiler, pollInterval, options);
  }
}
