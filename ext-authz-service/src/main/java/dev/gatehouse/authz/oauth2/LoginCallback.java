package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.jwt.VerifiedToken;
import dev.gatehouse.authz.session.CookieSigner;
import dev.gatehouse.authz.session.Session;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * The callback at {@code /.ambassador/oauth2/redirection-endpoint}: the login cookie must carry the
 * same state the provider returned, and may be used once; the code is exchanged with the PKCE
 * verifier; the ID token must verify and carry the login's nonce. Then a fresh random session id
 * (never one the browser brought) is stored and set as a signed cookie, and the browser returns to
 * where it was going, on a protected origin only.
 */
final class LoginCallback {
  private LoginCallback() {}

  static Future<Verdict> finish(OAuth2Context context, AuthzRequest request, LoginState login) {
    Map<String, String> query = Forms.parse(Forms.query(request.path()));
    String code = query.get("code");
    if (query.containsKey("error") || code == null) {
      return Future.succeededFuture(
          Verdict.Deny.of(403, "login failed at the identity provider\n"));
    }
    String redirectUri = context.publicOrigin(request) + OAuth2Context.CALLBACK_PATH;
    return context
        .sessions()
        .claimOnce("state:" + login.state(), OAuth2Context.LOGIN_TTL)
        .compose(
            first -> {
              if (!first) {
                return Future.succeededFuture(
                    (Verdict) Verdict.Deny.of(403, "this login was already completed\n"));
              }
              return context
                  .provider()
                  .exchangeCode(code, redirectUri, login.verifier())
                  .compose(
                      tokens -> {
                        if (tokens.idToken() == null) {
                          return Future.succeededFuture(
                              (Verdict) Verdict.Deny.of(403, "no ID token in the answer\n"));
                        }
                        return context
                            .provider()
                            .verifyIdToken(tokens.idToken())
                            .compose(
                                idToken -> startSession(context, request, login, tokens, idToken));
                      })
                  .recover(
                      failure ->
                          Future.succeededFuture(
                              failure instanceof Provider.ProviderException p && !p.refused
                                  ? OAuth2LoginFilter.unavailablePage()
                                  : Verdict.Deny.of(403, "login could not be completed\n")));
            });
  }

  private static Future<Verdict> startSession(
      OAuth2Context context,
      AuthzRequest request,
      LoginState login,
      Provider.Tokens tokens,
      VerifiedToken idToken) {
    Object nonce = idToken.claims().get("nonce");
    if (!(nonce instanceof String text)
        || !MessageDigest.isEqual(
            text.getBytes(StandardCharsets.UTF_8),
            login.nonce().getBytes(StandardCharsets.UTF_8))) {
      return Future.succeededFuture(Verdict.Deny.of(403, "ID token nonce does not match\n"));
    }
    long now = context.runtime().clock().millis();
    String sessionId = CookieSigner.randomToken(32);
    String xsrf = CookieSigner.randomToken(24);
    Session session =
        new Session(
            context.id(),
            idToken.claimsSet().getSubject(),
            tokens.idToken(),
            tokens.accessToken(),
            tokens.refreshToken(),
            tokens.expiresInSeconds() > 0 ? now + tokens.expiresInSeconds() * 1000 : 0,
            tokens.scope(),
            xsrf,
            idToken.claims());
    String target =
        ReturnUrls.originAllowed(origin(login.returnUrl()), context.spec().protectedOrigins())
            ? origin(login.returnUrl()) + ReturnUrls.safePath(path(login.returnUrl()))
            : context.publicOrigin(request) + "/";
    String sameSite = login.sameSite();
    // Browsers drop SameSite=None cookies that are not Secure.
    boolean secure = context.secure(request) || sameSite.equals("None");
    long maxAge = context.sessionCookieMaxAge(request);
    return context
        .sessions()
        .put(sessionId, session, context.idle())
        .map(
            stored ->
                new Verdict.Deny(
                    302,
                    List.of(
                        Map.entry("location", target),
                        Map.entry(
                            "set-cookie",
                            Cookies.set(
                                context.sessionCookie(),
                                context.signer().sign(sessionId),
                                maxAge,
                                secure,
                                true,
                                sameSite)),
                        Map.entry(
                            "set-cookie",
                            Cookies.set(
                                context.xsrfCookie(), xsrf, maxAge, secure, false, sameSite)),
                        Map.entry(
                            "set-cookie",
                            Cookies.set(context.loginCookie(), "", 0, secure, true, "Lax")),
                        Map.entry("cache-control", "no-store")),
                    ""));
  }

  /** {@code scheme://host[:port]} of an absolute URL we built. */
  static String origin(String url) {
    int start = url.indexOf("://");
    int slash = start < 0 ? -1 : url.indexOf('/', start + 3);
    return slash < 0 ? url : url.substring(0, slash);
  }

  static String path(String url) {
    String origin = origin(url);
    return url.length() == origin.length() ? "/" : url.substring(origin.length());
  }
}
