package dev.gatehouse.controlplane.xds;

import dev.gatehouse.controlplane.compile.CompiledConfig;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Objects;

/**
 * Turns compiled configurations into cache snapshots. Each type's version is the hash of its
 * content, so a new snapshot only sends the types that changed (an edited Mapping sends RDS alone),
 * and every replica compiling the same resources announces the same versions.
 */
public final class SnapshotPublisher {
  private final SimpleCache<String> cache;
  private volatile Context context;
  private volatile Versions current;

  SnapshotPublisher(SimpleCache<String> cache) {
    this.cache = cache;
  }

  void bindTo(Context context) {
    this.context = context;
  }

  /** The versions per type of the snapshot being served, or null before the first. */
  public Versions current() {
    return current;
  }

  /**
   * Publishes a configuration on the server's context. Completes with true when it was new, false
   * when it equals what is served already (nothing is sent then).
   */
  public Future<Boolean> publish(CompiledConfig config) {
    Versions next =
        new Versions(config.listenersVersion(), config.routesVersion(), config.clustersVersion());
    Snapshot snapshot =
        Snapshot.create(
            config.clusters(),
            next.clusters(),
            List.of(),
            "none",
            config.listeners(),
            next.listeners(),
            config.routes(),
            next.routes(),
            List.of(),
            "none");
    Promise<Boolean> done = Promise.promise();
    Runnable set =
        () -> {
          if (next.equals(current)) {
            done.complete(false);
            return;
          }
          cache.setSnapshot(XdsServer.GROUP, snapshot);
          current = next;
          done.complete(true);
        };
    Context target = Objects.requireNonNull(context, "the xDS server is not listening");
    target.runOnContext(v -> set.run());
    return done.future();
  }

  /** Content versions of the served types. */
  public record Versions(String listeners, String routes, String clusters) {}
}
