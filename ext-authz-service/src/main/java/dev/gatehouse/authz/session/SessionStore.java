package dev.gatehouse.authz.session;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Where sessions live, shared by every replica so that any of them serves any user and a logout
 * ends the session everywhere. All operations are asynchronous and complete on the caller's Vert.x
 * context.
 */
public interface SessionStore {

  /** The session, or null when there is none (expired, logged out, never existed). */
  Future<Session> get(String id);

  /** Stores a session that expires after {@code idle} without use. */
  Future<Void> put(String id, Session session, Duration idle);

  Future<Void> remove(String id);

  /**
   * Records {@code key} as used for {@code ttl}; true the first time, false on every later call
   * from any replica. Guards one-time values such as a login's state against replay.
   */
  Future<Boolean> claimOnce(String key, Duration ttl);
}
