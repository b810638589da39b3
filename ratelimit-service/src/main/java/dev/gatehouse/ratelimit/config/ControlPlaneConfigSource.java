package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import dev.gatehouse.config.subscription.ServiceConfigSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RateLimit resources the control plane publishes ({@code gatehouse.service-configs}, key
 * {@code ratelimit}), received as a Hazelcast client. Each version is validated here again; what
 * this service rejects keeps its last good version. While the control plane is away the last
 * configuration keeps serving, and the client reconnects on its own.
 */
public final class ControlPlaneConfigSource implements RateLimitConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.ratelimit.config");

  /** How often the published entry is read again, in case an update event was missed. */
  static final Duration RESYNC = Duration.ofSeconds(5);

  private final List<String> addresses;
  private final String ambassadorId;
  private final Duration firstWait;
  private ControlPlaneClient client;
  private volatile ServiceConfigSubscription subscription;

  // Only touched on the subscription's thread.
  private long version;

  /**
   * @param addresses control-plane members, {@code host:port}
   * @param firstWait how long {@link #start} waits for the first configuration
   */
  public ControlPlaneConfigSource(List<String> addresses, String ambassadorId, Duration firstWait) {
    this.addresses = List.copyOf(addresses);
    this.ambassadorId = ambassadorId;
    this.firstWait = firstWait;
  }

  @Override
  public void start(Consumer<Update> listener) {
    client = ControlPlaneClient.connect(addresses, "gatehouse-ratelimit");
    subscription =
        ServiceConfigSubscription.start(
            client,
            Distribution.RATELIMIT,
            ambassadorId,
            RESYNC,
            loaded -> listener.accept(update(loaded)));
    try {
      if (!subscription.awaitFirst(firstWait)) {
        LOG.warn(
            "no configuration from the control plane at {} within {}; serving none (every domain"
                + " answers OK, /ready says 503) until it arrives",
            addresses,
            firstWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Update update(LoadResult loaded) {
    long started = System.nanoTime();
    ConfigAssembler assembler = new ConfigAssembler();
    for (Resource<RateLimit> resource : loaded.ofKind(Kind.RATE_LIMIT, RateLimit.class)) {
      assembler.add(resource);
    }
    List<dev.gatehouse.config.ConfigError> problems = new ArrayList<>(loaded.problems());
    problems.addAll(assembler.problems());
    Update update = new Update(assembler.build(++version), problems);
    LoadLog.log(
        update,
        "control_plane="
            + String.join(",", addresses)
            + " published="
            + (subscription == null ? "?" : subscription.version()),
        System.nanoTime() - started);
    return update;
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
