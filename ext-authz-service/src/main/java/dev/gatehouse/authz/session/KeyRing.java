package dev.gatehouse.authz.session;

import com.hazelcast.core.HazelcastInstance;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that signs cookies and login state, shared through Hazelcast: the first replica
 * creates it, every other one reads the same, so a cookie signed by one verifies on all. Blocking:
 * call it while compiling a configuration, never on an event loop.
 */
public final class KeyRing {
  static final String MAP = "gatehouse-keys";

  private KeyRing() {}

  /** The signing key named {@code name}, created at random (256 bits) if none exists yet. */
  public static byte[] signingKey(HazelcastInstance hazelcast, String name) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    String encoded = Base64.getEncoder().encodeToString(fresh);
    String existing = hazelcast.<String, String>getMap(MAP).putIfAbsent(name, encoded);
    return Base64.getDecoder().decode(existing == null ? encoded : existing);
  }
}
