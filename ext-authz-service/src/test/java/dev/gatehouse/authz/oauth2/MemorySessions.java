package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.session.Session;
import dev.gatehouse.authz.session.SessionStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions in this JVM only, for tests about one replica (no idle timeout). */
final class MemorySessions implements SessionStore {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Boolean> used = new ConcurrentHashMap<>();

  @Override
  public Future<Session> get(String id) {
    return Future.succeededFuture(sessions.get(id));
  }

  @Override
  public Future<Void> put(String id, Session session, Duration idle) {
    sessions.put(id, session);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String id) {
    sessions.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> claimOnce(String key, Duration ttl) {
    return Future.succeededFuture(used.putIfAbsent(key, Boolean.TRUE) == null);
  }
}
