package dev.gatehouse.authz.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs values with HMAC-SHA256 as {@code value.signature} and checks them in constant time. Used
 * for session ids and login state in cookies: a cookie the client altered simply does not verify.
 */
public final class CookieSigner {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public CookieSigner(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= 32)");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
              }
            });
  }

  /** {@code value.signature}; {@code value} must not contain a dot-free ambiguity (any text). */
  public String sign(String value) {
    return value + "." + B64.encodeToString(mac(value));
  }

  /** The value of a signed text, or null when the signature does not match or is missing. */
  public String verify(String signed) {
    if (signed == null) {
      return null;
    }
    int dot = signed.lastIndexOf('.');
    if (dot <= 0) {
      return null;
    }
    String value = signed.substring(0, dot);
    byte[] given;
    try {
      given = B64D.decode(signed.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return MessageDigest.isEqual(mac(value), given) ? value : null;
  }

  private byte[] mac(String value) {
    Mac mac = macs.get();
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
