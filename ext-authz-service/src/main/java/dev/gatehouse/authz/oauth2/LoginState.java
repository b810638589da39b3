package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.session.CookieSigner;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a login in progress must remember until the callback: the state and nonce sent to the
 * provider, the PKCE verifier, where to return, the SameSite of the session cookie to set (the
 * rule's {@code sameSite} argument), and when this expires. It travels in a short-lived signed
 * cookie, so the callback can check that it continues a login this browser started.
 */
record LoginState(
    String state,
    String nonce,
    String verifier,
    String returnUrl,
    String sameSite,
    long expiresAtMillis) {

  static LoginState fresh(String returnUrl, String sameSite, long expiresAtMillis) {
    return new LoginState(
        CookieSigner.randomToken(24),
        CookieSigner.randomToken(24),
        CookieSigner.randomToken(32),
        returnUrl,
        sameSite,
        expiresAtMillis);
  }

  String encode(CookieSigner signer) {
    String json =
        new JsonObject()
            .put("s", state)
            .put("n", nonce)
            .put("v", verifier)
            .put("r", returnUrl)
            .put("ss", sameSite)
            .put("e", expiresAtMillis)
            .encode();
    return signer.sign(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** The state in a cookie value, or null if it was not signed by us, is malformed or expired. */
  static LoginState decode(CookieSigner signer, String cookie, long nowMillis) {
    String payload = signer.verify(cookie);
    if (payload == null) {
      return null;
    }
    try {
      JsonObject o =
          new JsonObject(
              new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
      LoginState login =
          new LoginState(
              o.getString("s"),
              o.getString("n"),
              o.getString("v"),
              o.getString("r"),
              o.getString("ss", "Lax"),
              o.getLong("e"));
      return login.expiresAtMillis() > nowMillis ? login : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
