package dev.gatehouse.config.distribution;

import java.io.Serializable;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A shared secret key for signing what ext-authz hands to browsers (session ids, state cookies),
 * generated and rotated by the leading control plane.
 *
 * @param id the key id ({@code kid})
 * @param algorithm the JOSE name, {@code HS256}
 * @param secretBase64 the key bytes, base64 (32 bytes for HS256)
 * @param createdAtMillis when it was generated; the newest signs
 * @param expiresAtMillis after this it verifies nothing and is removed
 */
public record SigningKey(
    String id, String algorithm, String secretBase64, long createdAtMillis, long expiresAtMillis)
    implements Serializable {

  public SigningKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secretBase64, "secretBase64");
  }

  public boolean expiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  /** The key to sign with: the newest that has not expired. */
  public static Optional<SigningKey> newest(Collection<SigningKey> keys, long nowMillis) {
    return keys.stream()
        .filter(k -> !k.expiredAt(nowMillis))
        .max(Comparator.comparingLong(SigningKey::createdAtMillis).thenComparing(SigningKey::id));
  }

  @Override
  public String toString() {
    // Never the secret: keys end up in logs through toString.
    return "SigningKey[" + id + ", " + algorithm + ", created " + createdAtMillis + "]";
  }
}
