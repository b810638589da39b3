package dev.gatehouse.authz.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Signs values with HMAC-SHA256 as {@code value.kid.signature} and checks them in constant time,
 * with whichever of the {@link SigningKeys} the text names. Used for session ids and login state in
 * cookies: a cookie the client altered, or signed by a key that has expired, does not verify.
 */
public final class CookieSigner {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final ThreadLocal<Mac> MACS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
          });

  private final SigningKeys keys;

  public CookieSigner(SigningKeys keys) {
    this.keys = keys;
  }

  /** A signer with one fixed key of at least 32 bytes. */
  public CookieSigner(byte[] secret) {
    this(SigningKeys.fixed(secret));
  }

  /**
   * {@code value.kid.signature}, signed with the current key.
   *
   * @throws IllegalStateException when there is no key to sign with (none published yet)
   */
  public String sign(String value) {
    SigningKeys.Key key = keys.signing();
    if (key == null) {
      throw new IllegalStateException("no signing key yet (expected: the control plane's keys)");
    }
    return value + "." + key.id() + "." + B64.encodeToString(mac(key, value));
  }

  /** The value of a signed text, or null when the signature does not match or is missing. */
  public String verify(String signed) {
    if (signed == null) {
      return null;
    }
    int dot = signed.lastIndexOf('.');
    int kidDot = dot <= 0 ? -1 : signed.lastIndexOf('.', dot - 1);
    if (kidDot <= 0) {
      return null;
    }
    SigningKeys.Key key = keys.verifying(signed.substring(kidDot + 1, dot));
    if (key == null) {
      return null;
    }
    String value = signed.substring(0, kidDot);
    byte[] given;
    try {
      given = B64D.decode(signed.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return MessageDigest.isEqual(mac(key, value), given) ? value : null;
  }

  private static byte[] mac(SigningKeys.Key key, String value) {
    Mac mac = MACS.get();
    try {
      mac.init(key.spec());
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("signing key " + key.id() + " is not an HMAC key", e);
    }
    return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A random url-safe token of {@code bytes} random bytes. */
  public static String randomToken(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return B64.encodeToString(random);
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
