package dev.gatehouse.proxy.xds;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Envoy-style ADS client (state of the world over one stream): subscribes to clusters and
 * listeners, then to the endpoints, routes and secrets they name; ACKs what it applied and NACKs,
 * with the reason, what it could not, keeping the previous resources. When the stream breaks it
 * reconnects with jittered exponential backoff, to the next control-plane address, and keeps
 * serving the last good configuration meanwhile.
 *
 * <p>Runs on one Vert.x context of its own, on Vert.x's acceptor loop: a thread that accepts
 * connections and serves no request, so that receiving, applying and acknowledging an update never
 * holds up the requests of a serving event loop (a connection being opened meanwhile waits to be
 * accepted). {@code onUpdate} is called there after every accepted update. Validating and compiling
 * a response (10,000 routes take a while) runs on a worker thread, one response at a time in the
 * order they came, so that even the acceptor loop is not held up by it.
 */
public final class AdsClient {
  private static final Logger LOG = LoggerFactory.getLogger(AdsClient.class);
  private static final ServiceMethod<DiscoveryResponse, DiscoveryRequest> ADS =
      ServiceMethod.client(
          ServiceName.create("envoy.service.discovery.v3.AggregatedDiscoveryService"),
          "StreamAggregatedResources",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(DiscoveryResponse.newBuilder()));

  private record TypeState(String version, String nonce, List<String> names) {}

  private final Vertx vertx;
  private final Context context;
  private final GrpcClient grpc;
  private final List<SocketAddress> servers;
  private final Node node;
  private final Consumer<XdsResources> onUpdate;
  private final Map<String, TypeState> types = new HashMap<>();
  private XdsResources resources = XdsResources.EMPTY;
  private final java.util.ArrayDeque<DiscoveryResponse> pending = new java.util.ArrayDeque<>();
  private boolean compiling;
  private GrpcClientRequest<DiscoveryRequest, DiscoveryResponse> stream;
  private int server;
  private int generation; // which connection attempt callbacks belong to; stale ones are ignored

  /**
   * The largest xDS response taken, 64 MiB: 10,000 Mappings make an RDS response of about 1 MiB,
   * and gRPC's default limits (4 MiB in grpc-java, less in Vert.x) would fail the stream on every
   * reconnect.
   */
  static final long MAX_MESSAGE = 64L * 1024 * 1024;

  private long backoffMillis = 100;
  private boolean closed;
  private volatile boolean connected;

  public AdsClient(
      Vertx vertx, List<SocketAddress> servers, Node node, Consumer<XdsResources> onUpdate) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers: [] (expected: at least one control plane)");
    }
    this.vertx = vertx;
    this.context = controlContext(vertx);
    this.grpc =
        GrpcClient.client(
            vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE));
    this.servers = List.copyOf(servers);
    this.node = node;
    this.onUpdate = onUpdate;
  }

  /**
   * A context on Vert.x's acceptor loop. Listeners serve requests on the other loops, which Vert.x
   * hands out round-robin: a context from {@code getOrCreateContext()} shared one with requests.
   */
  private static Context controlContext(Vertx vertx) {
    VertxInternal internal = (VertxInternal) vertx;
    return internal
        .contextBuilder()
        .withEventLoop(internal.acceptorEventLoopGroup().next())
        .build();
  }

  /** The context the stream runs on and updates are applied on. */
  public Context context() {
    return context;
  }

  public void start() {
    context.runOnContext(v -> connect());
  }

  /** Whether a stream to a control plane is open now. */
  public boolean connected() {
    return connected;
  }

  /** The resources in force, for /config_dump. */
  public XdsResources resources() {
    return resources;
  }

  /** The version accepted for each type, for /config_dump and tests. */
  public Map<String, String> versions() {
    Map<String, String> out = new HashMap<>();
    types.forEach((type, state) -> out.put(type, state.version()));
    return out;
  }

  /**
   * Stops the stream. Completes on this client's context once no update can be applied any more:
   * one being compiled is dropped.
   */
  public Future<Void> close() {
    Promise<Void> done = ((io.vertx.core.internal.ContextInternal) context).promise();
    context.runOnContext(
        v -> {
          closed = true;
          pending.clear();
          if (stream != null) {
            stream.cancel();
          }
          grpc.close();
          done.complete();
        });
    return done.future();
  }

  private void connect() {
    if (closed) {
      return;
    }
    SocketAddress address = servers.get(server % servers.size());
    int attempt = ++generation;
    grpc.request(address, ADS)
        .onSuccess(
            request -> {
              stream = request;
              request
                  .response()
                  .onSuccess(
                      response -> {
                        connected = true;
                        response.handler(this::receive);
                        response.exceptionHandler(
                            error -> broken(attempt, "stream failed: " + describe(error)));
                        response.endHandler(
                            v -> broken(attempt, "stream ended by the control plane"));
                      })
                  .onFailure(
                      error ->
                          broken(attempt, "no response from " + address + ": " + describe(error)));
              // Wildcard subscriptions first; the rest follow from what they name.
              send(XdsResources.CDS);
              send(XdsResources.LDS);
              for (String type : List.of(XdsResources.EDS, XdsResources.RDS, XdsResources.SDS)) {
                if (!resources.subscriptions(type).isEmpty()) {
                  send(type);
                }
              }
            })
        .onFailure(error -> broken(attempt, "cannot reach " + address + ": " + describe(error)));
  }

  /** An error's message, or its type when it has none (a reset stream's often has none). */
  private static String describe(Throwable error) {
    return error.getMessage() != null ? error.getMessage() : error.toString();
  }

  private void broken(int attempt, String why) {
    if (attempt != generation) {
      return;
    }
    generation++;
    connected = false;
    stream = null;
    pending.clear(); // the next stream sends everything again
    if (closed) {
      return;
    }
    server++;
    long delay = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
    backoffMillis = Math.min(backoffMillis * 2, 5_000);
    LOG.warn("xDS: {}; serving the last good configuration, reconnecting in {} ms", why, delay);
    vertx.setTimer(delay, id -> context.runOnContext(v -> connect()));
  }

  private void receive(DiscoveryResponse response) {
    // The backoff starts over only once a stream delivers something: a stream that opens and then
    // fails on its first response keeps backing off instead of reconnecting every 100 ms.
    backoffMillis = 100;
    pending.add(response);
    compileNext();
  }

  /** Compiles the oldest pending response off the event loop, then applies it here. */
  private void compileNext() {
    if (compiling || pending.isEmpty()) {
      return;
    }
    DiscoveryResponse response = pending.poll();
    XdsResources base = resources;
    int attempt = generation;
    compiling = true;
    context
        .executeBlocking(() -> base.with(response.getTypeUrl(), response.getResourcesList()), false)
        .onComplete(
            compiled -> {
              compiling = false;
              if (closed) {
                return; // closed while this was compiled: nothing is applied any more
              }
              if (attempt == generation) {
                applied(response, compiled.result(), compiled.cause());
              }
              compileNext();
            });
  }

  private void applied(DiscoveryResponse response, XdsResources next, Throwable failure) {
    String type = response.getTypeUrl();
    TypeState previous = types.getOrDefault(type, new TypeState("", "", List.of()));
    if (failure != null) {
      String reason =
          failure instanceof XdsException
              ? failure.getMessage()
              : "cannot apply: " + describe(failure);
      LOG.warn("xDS: NACK {} version {}: {}", type, response.getVersionInfo(), reason);
      types.put(type, new TypeState(previous.version(), response.getNonce(), previous.names()));
      send(type, Status.newBuilder().setCode(3).setMessage(reason).build());
      return;
    }
    Map<String, List<String>> before = new HashMap<>();
    for (String dependent : XdsResources.TYPES) {
      before.put(dependent, resources.subscriptions(dependent));
    }
    resources = next;
    types.put(
        type, new TypeState(response.getVersionInfo(), response.getNonce(), previous.names()));
    send(type); // ACK
    for (String dependent : XdsResources.TYPES) {
      if (!dependent.equals(type)
          && !before.get(dependent).equals(resources.subscriptions(dependent))) {
        send(dependent);
      }
    }
    onUpdate.accept(resources);
  }

  private void send(String type) {
    send(type, null);
  }

  private void send(String type, Status error) {
    if (stream == null) {
      return;
    }
    TypeState state = types.getOrDefault(type, new TypeState("", "", List.of()));
    List<String> names = resources.subscriptions(type);
    types.put(type, new TypeState(state.version(), state.nonce(), names));
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type)
            .setVersionInfo(state.version())
            .setResponseNonce(state.nonce())
            .addAllResourceNames(names);
    if (error != null) {
      request.setErrorDetail(error);
    }
    stream.write(request.build());
  }
}
