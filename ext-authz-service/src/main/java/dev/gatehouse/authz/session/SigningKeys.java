package dev.gatehouse.authz.session;

import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that sign cookies and login state: one signs, any still valid verifies, so keys can
 * rotate without logging anybody out. Read on the hot path: implementations answer from memory.
 */
public interface SigningKeys {

  /** A key and its id, which travels in the signed text ({@code value.kid.mac}). */
  record Key(String id, SecretKeySpec spec) {
    public Key {
      if (id.isEmpty() || id.indexOf('.') >= 0) {
        throw new IllegalArgumentException("key id: \"" + id + "\" (expected: no dot, not empty)");
      }
    }

    @Override
    public String toString() {
      return "Key[" + id + "]"; // never the secret
    }
  }

  /** The key to sign with now, or null when there is none (signing then fails). */
  Key signing();

  /** The key {@code id} if it still verifies, else null. */
  Key verifying(String id);

  /** One key that never rotates (this service's own, kept in its embedded cluster). */
  static SigningKeys fixed(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= 32)");
    }
    Key key = new Key("k0", new SecretKeySpec(secret.clone(), "HmacSHA256"));
    return new SigningKeys() {
      @Override
      public Key signing() {
        return key;
      }

      @Override
      public Key verifying(String id) {
        return key.id().equals(id) ? key : null;
      }
    };
  }
}
