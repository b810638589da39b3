package dev.gatehouse.authz.session;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One browser login, kept server-side: whose it is, the provider's tokens, what they grant, and the
 * XSRF token that guards its logout. Stored as JSON so that any replica reads any session.
 *
 * @param accessExpiresAtMillis when the access token expires (0: unknown)
 */
public record Session(
    String filterId,
    String subject,
    String idToken,
    String accessToken,
    String refreshToken,
    long accessExpiresAtMillis,
    String scope,
    String xsrf,
    Map<String, Object> claims) {

  public Session {
    claims = claims == null ? Map.of() : Map.copyOf(claims);
  }

  /** The same session with refreshed tokens. */
  public Session refreshed(
      String newAccessToken, String newRefreshToken, long expiresAtMillis, String newScope) {
    return new Session(
        filterId,
        subject,
        idToken,
        newAccessToken,
        newRefreshToken == null ? refreshToken : newRefreshToken,
        expiresAtMillis,
        newScope == null ? scope : newScope,
        xsrf,
        claims);
  }

  String toJson() {
    return new JsonObject()
        .put("filterId", filterId)
        .put("subject", subject)
        .put("idToken", idToken)
        .put("accessToken", accessToken)
        .put("refreshToken", refreshToken)
        .put("accessExpiresAt", accessExpiresAtMillis)
        .put("scope", scope)
        .put("xsrf", xsrf)
        .put("claims", new JsonObject(claims))
        .encode();
  }

  static Session fromJson(String json) {
    JsonObject o = new JsonObject(json);
    return new Session(
        o.getString("filterId"),
        o.getString("subject"),
        o.getString("idToken"),
        o.getString("accessToken"),
        o.getString("refreshToken"),
        o.getLong("accessExpiresAt", 0L),
        o.getString("scope"),
        o.getString("xsrf"),
        o.getJsonObject("claims", new JsonObject()).getMap());
  }
}
