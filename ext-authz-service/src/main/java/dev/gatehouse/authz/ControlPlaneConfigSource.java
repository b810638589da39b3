package dev.gatehouse.authz;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import dev.gatehouse.config.subscription.ServiceConfigSubscription;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Filters, FilterPolicies and AuthService the control plane publishes ({@code
 * gatehouse.service-configs}, key {@code ext-authz}), received through a Hazelcast client of its
 * cluster. Each version is validated again here, with last-good semantics; while the control plane
 * is away the last configuration keeps being enforced. The client belongs to the caller (sessions
 * and keys use it too).
 */
public final class ControlPlaneConfigSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneConfigSource.class);

  /** How often the published entry is read again, in case an update event was missed. */
  static final Duration RESYNC = Duration.ofSeconds(5);

  private final ControlPlaneClient client;
  private final String ambassadorId;
  private final Duration firstWait;
  private ServiceConfigSubscription subscription;

  /**
   * @param firstWait how long {@link #start} waits for the first configuration; until one arrives
   *     the service denies every check with 503
   */
  public ControlPlaneConfigSource(
      ControlPlaneClient client, String ambassadorId, Duration firstWait) {
    this.client = client;
    this.ambassadorId = ambassadorId;
    this.firstWait = firstWait;
  }

  @Override
  public void start(Consumer<LoadResult> listener) {
    subscription =
        ServiceConfigSubscription.start(
            client, Distribution.EXT_AUTHZ, ambassadorId, RESYNC, listener);
    try {
      if (!subscription.awaitFirst(firstWait)) {
        LOG.warn(
            "no configuration from the control plane within {}; denying every check with 503"
                + " until it arrives",
            firstWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
