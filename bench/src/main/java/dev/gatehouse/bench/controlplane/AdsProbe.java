package dev.gatehouse.bench.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An ADS client subscribed to the cleartext routes that ACKs every response, as Envoy would. */
final class AdsProbe implements AutoCloseable {
  private static final String ROUTES =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final Node node = Node.newBuilder().setId("bench").build();

  AdsProbe(int port) {
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(512 * 1024 * 1024)
            .build();
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    responses.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    System.err.println("ADS stream failed: " + t);
                  }

                  @Override
                  public void onCompleted() {}
                });
  }

  void subscribeRoutes() {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(ROUTES)
            .addResourceNames("routes-http")
            .build());
  }

  /** Waits (at most 60 s) for the routes at {@code version}, ACKing everything on the way. */
  DiscoveryResponse awaitRoutesVersion(String version) throws InterruptedException {
    while (true) {
      DiscoveryResponse response = nextAcked();
      if (response.getVersionInfo().equals(version)) {
        return response;
      }
    }
  }

  /** Waits for the next routes response, ACKing it. */
  DiscoveryResponse awaitNewRoutesVersion() throws InterruptedException {
    return nextAcked();
  }

  private DiscoveryResponse nextAcked() throws InterruptedException {
    DiscoveryResponse response = responses.poll(60, TimeUnit.SECONDS);
    if (response == null) {
      throw new IllegalStateException("no ADS response within 60 s");
    }
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(response.getTypeUrl())
            .setVersionInfo(response.getVersionInfo())
            .setResponseNonce(response.getNonce())
            .addResourceNames("routes-http")
            .build());
    return response;
  }

  @Override
  public void close() {
    requests.onCompleted();
    channel.shutdownNow();
  }
}
