package dev.gatehouse.controlplane.admin;

import dev.gatehouse.controlplane.ConfigState;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The control plane's Prometheus metrics: reconfigurations (applied, unchanged, failed) and their
 * duration, configuration errors, snapshot size, and the xDS streams with their ACKs and NACKs.
 */
public final class ControlPlaneMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter applied;
  private final Counter unchanged;
  private final Counter failed;
  private final Timer duration;

  public ControlPlaneMetrics(XdsCallbacks xds, Supplier<ConfigState> state) {
    applied = reconfigurations("applied");
    unchanged = reconfigurations("unchanged");
    failed = reconfigurations("failed");
    duration =
        Timer.builder("gatehouse_reconfiguration_duration")
            .description("Time from a loaded configuration to its published snapshot")
            .register(registry);
    Gauge.builder(
            "gatehouse_config_errors",
            state,
            s ->
                s.get() == null
                    ? 0
                    : s.get().loaded().errors().size()
                        + s.get().compiled().problems().stream().filter(p -> p.isError()).count())
        .description("Errors in the current configuration (their resources are not served)")
        // Micrometer holds a gauge's object weakly; the supplier is a lambda nobody else keeps.
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "gatehouse_snapshot_bytes",
            state,
            s -> s.get() == null ? 0 : s.get().compiled().sizeBytes())
        .description("Serialized size of the served xDS resources")
        .strongReference(true)
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(
            "gatehouse_routes",
            state,
            s -> s.get() == null ? 0 : s.get().compiled().routeTable().size())
        .description("Routes in the served configuration")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gatehouse_xds_streams", xds, XdsCallbacks::openStreams)
        .description("Open xDS streams")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("gatehouse_xds_acks", xds, XdsCallbacks::acks)
        .description("Responses proxies accepted")
        .register(registry);
    FunctionCounter.builder("gatehouse_xds_nacks", xds, XdsCallbacks::nacks)
        .description("Responses proxies rejected")
        .register(registry);
  }

  private Counter reconfigurations(String result) {
    return Counter.builder("gatehouse_reconfigurations")
        .description("Configurations handled, by result")
        .tag("result", result)
        .register(registry);
  }

  public void applied(boolean changed, long nanos) {
    (changed ? applied : unchanged).increment();
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void failed() {
    failed.increment();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
