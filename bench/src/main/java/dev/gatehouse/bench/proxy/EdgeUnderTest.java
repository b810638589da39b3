package dev.gatehouse.bench.proxy;

import dev.gatehouse.proxy.EdgeProxy;
import dev.gatehouse.proxy.EdgeProxyOptions;
import io.vertx.core.Vertx;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The proxy under test for bench/edge-proxy: an edge proxy configured over ADS, listening on the
 * given port. With an xDS port it connects to a {@link ControlPlaneUnderTest} running in another
 * JVM (so this JVM's memory is the proxy's alone); without one it starts that control plane in this
 * JVM, with one Mapping (and extra-mappings more that never match), and prints the watched
 * directory ("DIR path", for scripts that edit it under load). Prints READY when a request through
 * it succeeds, then runs until killed.
 *
 * <p>Arguments: edge-port upstream-port [extra-mappings] [xds-port]
 */
public final class EdgeUnderTest {
  private EdgeUnderTest() {}

  public static void main(String[] args) throws Exception {
    int edgePort = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int extra = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Vertx vertx = Vertx.vertx();
    int xdsPort;
    if (args.length > 3) {
      xdsPort = Integer.parseInt(args[3]);
    } else {
      ControlPlaneUnderTest.Running running =
          ControlPlaneUnderTest.start(vertx, edgePort, upstreamPort, extra);
      xdsPort = running.controlPlane().xds().actualPort();
      System.out.println("DIR " + running.dir());
    }
    new EdgeProxy(
            vertx,
            new EdgeProxyOptions(
                List.of(new EdgeProxyOptions.Address("127.0.0.1", xdsPort)),
                "bench",
                "edge-proxy",
                "127.0.0.1",
                0))
        .start()
        .await(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean ready = false;
    while (!ready && System.nanoTime() < deadline) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + edgePort + "/").toURL().openConnection();
        ready = connection.getResponseCode() == 200;
      } catch (java.io.IOException notYet) {
        // the listener is not bound yet
      }
      if (!ready) {
        Thread.sleep(100);
      }
    }
    if (!ready) {
      System.out.println("NOT READY: no 200 through the edge within 120 s");
      System.exit(1);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }
}
