package dev.gatehouse.launcher;

import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse edge-proxy}: the data plane, configured over xDS. Its listeners and their ports
 * come from the control plane (LDS), as an Envoy's do.
 */
@Command(
    name = "edge-proxy",
    description = {
      "Runs the edge proxy, configured over xDS (ADS) by a control plane.",
      "Listeners and their ports come from the control plane, as an Envoy's do."
    })
final class EdgeProxyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      split = ",",
      defaultValue = "localhost:18000",
      converter = HostPort.Converter.class,
      description =
          "The control plane's xDS (ADS) address; several, comma-separated, are tried in turn.")
  List<HostPort> xds;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "The xDS node id (default: this host's name).")
  String nodeId;

  @Mixin Options.AdminPort adminPort;

  @Override
  public Integer call() throws Exception {
    String node = nodeId != null ? nodeId : hostName();
    EdgeProxyOptions options =
        new EdgeProxyOptions(
            xds.stream().map(a -> new EdgeProxyOptions.Address(a.host(), a.port())).toList(),
            node,
            "edge-proxy",
            "0.0.0.0",
            adminPort.adminPort());
    Vertx vertx = Vertx.vertx();
    EdgeProxy proxy = new EdgeProxy(vertx, options);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(proxy, vertx, stopped), "gatehouse-edge-proxy-drain");
    try {
      proxy.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      stop(proxy, vertx, stopped);
      spec.commandLine().getErr().println("gatehouse edge-proxy: cannot start: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "gatehouse edge-proxy: node %s, xDS from %s, admin on port %d%n",
            node, xds, proxy.adminPort());
    spec.commandLine().getOut().flush();
    // SIGTERM drains: listeners stop accepting, requests in flight finish, then it exits.
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(proxy, vertx, stopped);
    }
    return Gatehouse.OK;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "edge-proxy";
    }
  }

  private static void stop(EdgeProxy proxy, Vertx vertx, CountDownLatch stopped) {
    try {
      proxy.close().await(40, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stopping anyway; nothing more to release.
    } finally {
      stopped.countDown();
    }
  }
}
