package dev.gatehouse.authz.session;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in a Hazelcast IMap, with Hazelcast's max-idle as the idle timeout. Hazelcast's async
 * calls complete on its own threads; each result is handed back to the calling Vert.x context.
 */
public final class HazelcastSessionStore implements SessionStore {
  static final String MAP = "gatehouse-oauth2-sessions";
  static final String USED = "gatehouse-oauth2-used";

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final IMap<String, String> used;

  public HazelcastSessionStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(MAP);
    this.used = hazelcast.getMap(USED);
  }

  @Override
  public Future<Boolean> claimOnce(String key, Duration ttl) {
    // IMap has no asynchronous putIfAbsent: run the atomic one on a worker thread.
    return vertx.executeBlocking(
        () -> used.putIfAbsent(key, "1", ttl.toMillis(), TimeUnit.MILLISECONDS) == null, false);
  }

  @Override
  public Future<Session> get(String id) {
    return async(() -> map.getAsync(id)).map(json -> json == null ? null : Session.fromJson(json));
  }

  @Override
  public Future<Void> put(String id, Session session, Duration idle) {
    return async(
        () ->
            map.setAsync(
                id, session.toJson(), 0, TimeUnit.SECONDS, idle.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  public Future<Void> remove(String id) {
    return async(() -> map.removeAsync(id)).mapEmpty();
  }

  /**
   * The call's result on the caller's context. A client that is away from its cluster throws at
   * once (rather than returning a failed stage): that becomes a failed future too.
   */
  private <T> Future<T> async(
      java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
    try {
      return Future.fromCompletionStage(call.get(), vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
