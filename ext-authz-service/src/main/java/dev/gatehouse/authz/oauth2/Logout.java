package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.session.Session;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /.ambassador/oauth2/logout}: the {@code _xsrf} form field (or {@code X-XSRF-Token}
 * header) must equal both the {@code ambassador_xsrf.NAME.NAMESPACE} cookie and the session's own
 * token; then the session is deleted from the shared store (so every replica forgets it), the
 * cookies are cleared, and the browser goes to the provider's end-session endpoint with {@code
 * postLogoutRedirectURI}.
 */
final class Logout {
  private Logout() {}

  static Future<Verdict> logout(
      OAuth2Context context, AuthzRequest request, String sessionId, Session session) {
    String presented = Forms.parse(request.body()).get("_xsrf");
    if (presented == null) {
      presented = request.header("x-xsrf-token");
    }
    String cookie = Cookies.get(request.header("cookie"), context.xsrfCookie());
    if (!same(presented, cookie) || !same(presented, session.xsrf())) {
      return Future.succeededFuture(Verdict.Deny.of(403, "logout refused: XSRF token mismatch\n"));
    }
    boolean secure = context.secure(request);
    return context
        .sessions()
        .remove(sessionId)
        .compose(v -> context.provider().metadata().map(m -> endSession(context, m, session)))
        .otherwise(failure -> null)
        .map(target -> target == null ? fallbackTarget(context, request) : target)
        .map(
            target ->
                new Verdict.Deny(
                    302,
                    List.of(
                        Map.entry("location", target),
                        Map.entry(
                            "set-cookie",
                            Cookies.set(context.sessionCookie(), "", 0, secure, true, "Lax")),
                        Map.entry(
                            "set-cookie",
                            Cookies.set(context.xsrfCookie(), "", 0, secure, false, "Lax")),
                        Map.entry("cache-control", "no-store")),
                    ""));
  }

  private static String endSession(
      OAuth2Context context, ProviderMetadata metadata, Session session) {
    if (metadata.endSessionEndpoint() == null) {
      return null;
    }
    StringBuilder url = new StringBuilder(metadata.endSessionEndpoint());
    url.append(url.indexOf("?") < 0 ? '?' : '&');
    url.append("id_token_hint=").append(encode(session.idToken() == null ? "" : session.idToken()));
    if (context.spec().postLogoutRedirectURI() != null) {
      url.append("&post_logout_redirect_uri=")
          .append(encode(context.spec().postLogoutRedirectURI()));
    }
    return url.toString();
  }

  private static String fallbackTarget(OAuth2Context context, AuthzRequest request) {
    return context.spec().postLogoutRedirectURI() != null
        ? context.spec().postLogoutRedirectURI()
        : context.publicOrigin(request) + "/";
  }

  private static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
