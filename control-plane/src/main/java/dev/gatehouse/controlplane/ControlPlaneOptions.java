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
 * @param pollInterval how often the directory is polled for changes that file-system events did not
 *     announce
 * @param quietPeriod how long the files must stay unchanged before a change is applied (a burst of
 *     edits makes one configuration); {@link #DEFAULT_QUIET_PERIOD} unless given
 */
public record ControlPlaneOptions(
    Path configDir,
    String ambassadorId,
    String bindHost,
    int xdsPort,
    int adminPort,
    CompilerOptions compiler,
    Duration pollInterval,
    ReplicaOptions replicas,
    Duration quietPeriod) {

  /**
   * How long a directory must stay quiet before an edit applies, by default: long enough for an
   * editor's or {@code kubectl cp}'s burst of writes (they land within a few milliseconds), short
   * enough that an edit reaches the proxies within the 100 ms the control plane aims at.
   */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(30);

  public ControlPlaneOptions {
    Objects.requireNonNull(ambassadorId, "ambassadorId");
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(compiler, "compiler");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(quietPeriod, "quietPeriod");
  }

  /** Options with the default quiet period. */
  public ControlPlaneOptions(
      Path configDir,
      String ambassadorId,
      String bindHost,
      int xdsPort,
      int adminPort,
      CompilerOptions compiler,
      Duration pollInterval,
      ReplicaOptions replicas) {
    this(
        configDir,
        ambassadorId,
        bindHost,
        xdsPort,
        adminPort,
        compiler,
        pollInterval,
        replicas,
        DEFAULT_QUIET_PERIOD);
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
        configDir, ambassadorId, host, xds, admin, compiler, pollInterval, replicas, quietPeriod);
  }

  public ControlPlaneOptions withReplicas(ReplicaOptions options) {
    return new ControlPlaneOptions(
        configDir,
        ambassadorId,
        bindHost,
        xdsPort,
        adminPort,
        compiler,
        pollInterval,
        options,
        quietPeriod);
  }

  public ControlPlaneOptions withQuietPeriod(Duration quiet) {
    return new ControlPlaneOptions(
        configDir,
        ambassadorId,
        bindHost,
        xdsPort,
        adminPort,
        compiler,
        pollInterval,
        replicas,
        quiet);
  }
}
