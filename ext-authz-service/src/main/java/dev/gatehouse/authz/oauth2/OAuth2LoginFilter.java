package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.session.Session;
import dev.gatehouse.config.auth.OAuth2Filter.GrantType;
import dev.gatehouse.config.template.HeaderLookup;
import dev.gatehouse.config.template.Template;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth2 Filter on a protected request: a valid session cookie allows (refreshing the access
 * token first when it is about to expire), a bearer token is checked as {@code
 * accessTokenValidation} says, and anything else starts a login — a 302 to the provider, or a 401
 * for XHR and JSON clients and wherever {@code insteadOfRedirect} applies.
 */
final class OAuth2LoginFilter implements Filter {
  private final OAuth2Context context;
  private final ClientCredentials clientCredentials;
  private final PasswordGrant passwordGrant;

  private final AccessTokenJwtFilter accessTokenJwt;

  OAuth2LoginFilter(OAuth2Context context, AccessTokenJwtFilter accessTokenJwt) {
    this.context = context;
    this.accessTokenJwt = accessTokenJwt;
    this.clientCredentials = new ClientCredentials(context, accessTokenJwt);
    this.passwordGrant = new PasswordGrant(context);
  }

  OAuth2Context context() {
    return context;
  }

  @Override
  public Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    if (context.spec().grantType() == GrantType.CLIENT_CREDENTIALS) {
      return clientCredentials.check(request, arguments);
    }
    if (context.spec().grantType() == GrantType.PASSWORD) {
      return passwordGrant.check(request, arguments);
    }
    if (ReturnUrls.publicOrigin(request.origin(), context.spec().protectedOrigins()) == null) {
      return Future.succeededFuture(
          Verdict.Deny.of(
              403, "origin " + request.origin() + " is not protected by this filter\n"));
    }
    String sessionId =
        context.signer().verify(Cookies.get(request.header("cookie"), context.sessionCookie()));
    if (sessionId != null) {
      return context
          .sessions()
          .get(sessionId)
          .compose(
              session ->
                  session == null || !session.filterId().equals(context.id())
                      ? startLogin(request, arguments)
                      : useSession(request, arguments, sessionId, session));
    }
    String bearer = bearer(request.header("authorization"));
    if (bearer != null) {
      return new BearerValidation(context, accessTokenJwt).check(request, arguments, bearer);
    }
    return startLogin(request, arguments);
  }

  private Future<Verdict> useSession(
      AuthzRequest request, FilterArguments arguments, String sessionId, Session session) {
    if (!scopes(session.scope()).containsAll(arguments.scopes())) {
      return Future.succeededFuture(
          Verdict.Deny.of(403, "insufficient_scope: this login lacks a required scope\n"));
    }
    long now = context.runtime().clock().millis();
    long margin = context.spec().expirationSafetyMargin().toMillis();
    boolean expiring =
        session.accessExpiresAtMillis() > 0 && now + margin >= session.accessExpiresAtMillis();
    if (!expiring) {
      return Future.succeededFuture(allow(request, session));
    }
    if (session.refreshToken() == null) {
      return context.sessions().remove(sessionId).compose(v -> startLogin(request, arguments));
    }
    return context
        .provider()
        .refresh(session.refreshToken())
        .compose(
            tokens -> {
              Session refreshed =
                  session.refreshed(
                      tokens.accessToken(),
                      tokens.refreshToken(),
                      tokens.expiresInSeconds() > 0 ? now + tokens.expiresInSeconds() * 1000 : 0,
                      tokens.scope());
              return context
                  .sessions()
                  .put(sessionId, refreshed, context.idle())
                  .map(v -> allow(request, refreshed));
            })
        .recover(
            failure -> {
              boolean stillValid = now < session.accessExpiresAtMillis();
              if (failure instanceof Provider.ProviderException p && !p.refused && stillValid) {
                return Future.succeededFuture(allow(request, session)); // provider down: keep going
              }
              return context
                  .sessions()
                  .remove(sessionId)
                  .compose(v -> startLogin(request, arguments));
            });
  }

  /** Allows with the access token upstream, the injected headers, and our cookies removed. */
  private Verdict allow(AuthzRequest request, Session session) {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("authorization", "Bearer " + session.accessToken());
    if (!context.injected().isEmpty()) {
      Map<String, Object> data =
          Map.of(
              "token",
              Map.of(
                  "Raw",
                  session.idToken() == null ? "" : session.idToken(),
                  "Claims",
                  session.claims(),
                  "Header",
                  Map.of()),
              "httpRequestHeader",
              (HeaderLookup) name -> orEmpty(request.header(name)));
      for (Map.Entry<String, Template> header : context.injected()) {
        set.put(header.getKey(), header.getValue().renderHeaderValue(data));
      }
    }
    Set<String> remove = new HashSet<>();
    String cookies = Cookies.without(request.header("cookie"), context::ownsCookie);
    if (cookies == null) {
      remove.add("cookie");
    } else {
      set.put("cookie", cookies);
    }
    return Verdict.allow(new HeaderMutations(set, remove, List.of()));
  }

  Future<Verdict> startLogin(AuthzRequest request, FilterArguments arguments) {
    FilterArguments.InsteadOfRedirect instead = arguments.insteadOfRedirect();
    if (instead != null && (instead.condition() == null || instead.condition().matches(request))) {
      return Future.succeededFuture(Verdict.Deny.of(instead.status(), "login required\n"));
    }
    if (wantsNoRedirect(request)) {
      return Future.succeededFuture(
          new Verdict.Deny(
              401,
              List.of(Map.entry("content-type", "application/json")),
              "{\"error\":\"login_required\",\"message\":\"session missing or expired\"}"));
    }
    String returnUrl = context.publicOrigin(request) + ReturnUrls.safePath(request.path());
    LoginState login =
        LoginState.fresh(
            returnUrl,
            arguments.sameSite(),
            context.runtime().clock().millis() + OAuth2Context.LOGIN_TTL.toMillis());
    return context
        .provider()
        .metadata()
        .map(metadata -> redirectToProvider(request, arguments, metadata, login))
        .otherwise(failure -> unavailablePage());
  }

  private Verdict redirectToProvider(
      AuthzRequest request,
      FilterArguments arguments,
      ProviderMetadata metadata,
      LoginState login) {
    Set<String> scopes = new LinkedHashSet<>(List.of("openid"));
    scopes.addAll(arguments.scopes());
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", context.spec().clientID());
    query.put("redirect_uri", context.publicOrigin(request) + OAuth2Context.CALLBACK_PATH);
    query.put("scope", String.join(" ", scopes));
    query.put("state", login.state());
    query.put("nonce", login.nonce());
    query.put("code_challenge", challenge(login.verifier()));
    query.put("code_challenge_method", "S256");
    if (context.spec().extraAuthorizationParameters() != null) {
      context.spec().extraAuthorizationParameters().forEach(query::putIfAbsent);
    }
    StringBuilder location = new StringBuilder(metadata.authorizationEndpoint());
    char separator = location.indexOf("?") < 0 ? '?' : '&';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      location
          .append(separator)
          .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    // Always Lax: the callback is a cross-site navigation from the provider, which Strict blocks.
    String cookie =
        Cookies.set(
            context.loginCookie(),
            login.encode(context.signer()),
            OAuth2Context.LOGIN_TTL.toSeconds(),
            context.secure(request),
            true,
            "Lax");
    return new Verdict.Deny(
        302,
        List.of(
            Map.entry("location", location.toString()),
            Map.entry("set-cookie", cookie),
            Map.entry("cache-control", "no-store"),
            Map.entry("content-type", "text/plain; charset=utf-8")),
        "redirecting to login\n");
  }

  static Verdict unavailablePage() {
    return new Verdict.Deny(
        503,
        List.of(
            Map.entry("content-type", "text/html; charset=utf-8"),
            Map.entry("retry-after", "10"),
            Map.entry("cache-control", "no-store")),
        "<!doctype html><title>Sign-in unavailable</title>"
            + "<h1>Sign-in is temporarily unavailable</h1>"
            + "<p>The identity provider cannot be reached. Please try again in a moment.</p>\n");
  }

  /** XHR and JSON clients cannot follow a login redirect: they get a 401 instead. */
  private static boolean wantsNoRedirect(AuthzRequest request) {
    if ("xmlhttprequest".equalsIgnoreCase(orEmpty(request.header("x-requested-with")))) {
      return true;
    }
    String accept = orEmpty(request.header("accept")).toLowerCase(Locale.ROOT);
    return accept.contains("application/json") && !accept.contains("text/html");
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  static Set<String> scopes(String scope) {
    return scope == null || scope.isBlank()
        ? Set.of()
        : new HashSet<>(Arrays.asList(scope.trim().split("\\s+")));
  }

  static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
