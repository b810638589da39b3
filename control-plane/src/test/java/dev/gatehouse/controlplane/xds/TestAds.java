package dev.gatehouse.controlplane.xds;

import dev.gatehouse.controlplane.compile.Compiler;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;

/** An ADS client for tests outside this package: subscribed to the cleartext routes, ACKing. */
public final class TestAds implements AutoCloseable {
  private final AdsClient client;

  public TestAds(int port) {
    this.client = new AdsClient(port, "test-proxy");
  }

  /** Subscribes to the cleartext routes and returns (and ACKs) the first response. */
  public DiscoveryResponse routes() throws InterruptedException {
    client.subscribe(AdsClient.ROUTES, Compiler.HTTP_ROUTES);
    return next();
  }

  /** The next response, ACKed. */
  public DiscoveryResponse next() throws InterruptedException {
    DiscoveryResponse response = client.next();
    client.ack(response, Compiler.HTTP_ROUTES);
    return response;
  }

  @Override
  public void close() {
    client.close();
  }
}
