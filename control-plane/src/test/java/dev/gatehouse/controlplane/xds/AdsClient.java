package dev.gatehouse.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test ADS client as a proxy would be: grpc-java over loopback, one stream, the Envoy discovery
 * protos. Responses are queued in arrival order.
 */
public final class AdsClient implements AutoCloseable {
  public static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String ROUTES =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String SECRETS =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  public final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final Node node;

  public AdsClient(int port, String nodeId) {
    this.node = Node.newBuilder().setId(nodeId).setCluster("edge").build();
    this.channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(256 * 1024 * 1024)
            .build();
    this.requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    responses.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
  }

  /** A first request for a type (no version, no nonce). */
  public void subscribe(String typeUrl, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(typeUrl)
            .addAllResourceNames(List.of(names))
            .build());
  }

  public void ack(DiscoveryResponse response, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(response.getTypeUrl())
            .setVersionInfo(response.getVersionInfo())
            .setResponseNonce(response.getNonce())
            .addAllResourceNames(List.of(names))
            .build());
  }

  /** Rejects a response, keeping {@code keptVersion}, as Envoy does when a config is invalid. */
  public void nack(DiscoveryResponse response, String keptVersion, String why, String... names) {
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(response.getTypeUrl())
            .setVersionInfo(keptVersion)
            .setResponseNonce(response.getNonce())
            .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(why))
            .addAllResourceNames(List.of(names))
            .build());
  }

  public DiscoveryResponse next() throws InterruptedException {
    DiscoveryResponse response = responses.poll(10, TimeUnit.SECONDS);
    if (response == null) {
      throw new AssertionError("no xDS response within 10 s");
    }
    return response;
  }

  /** The next response, or null when none comes within {@code millis}. */
  public DiscoveryResponse nextWithin(long millis) throws InterruptedException {
    return responses.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next response of a type, ACKed; responses of other types before it are ACKed too. */
  public DiscoveryResponse nextOf(String typeUrl, String... names) throws InterruptedException {
    while (true) {
      DiscoveryResponse response = next();
      if (response.getTypeUrl().equals(typeUrl)) {
        ack(response, names);
        return response;
      }
      ack(response);
    }
  }

  @Override
  public void close() {
    requests.onCompleted();
    channel.shutdownNow();
  }
}
