package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.jwt.TokenException;
import dev.gatehouse.config.auth.OAuth2Filter.AccessTokenValidation;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * An access token presented as {@code Authorization: Bearer} to an OAuth2 Filter, checked as {@code
 * accessTokenValidation} says: {@code jwt} against the provider's JWKS and issuer, {@code userinfo}
 * at the provider's userinfo endpoint, {@code auto} as a JWT when it looks like one.
 */
final class BearerValidation {
  private final OAuth2Context context;
  private final AccessTokenJwtFilter accessTokenJwt;

  /**
   * @param accessTokenJwt the JWT Filter that validates tokens instead, or null
   */
  BearerValidation(OAuth2Context context, AccessTokenJwtFilter accessTokenJwt) {
    this.context = context;
    this.accessTokenJwt = accessTokenJwt;
  }

  /** RFC 6750's {@code b64token}: the characters a bearer token may have. */
  private static final java.util.regex.Pattern B64TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  static boolean wellFormed(String token) {
    return B64TOKEN.matcher(token).matches();
  }

  Future<Verdict> check(AuthzRequest request, FilterArguments arguments, String token) {
    if (!Boolean.TRUE.equals(context.spec().allowMalformedAccessToken()) && !wellFormed(token)) {
      return Future.succeededFuture(
          challenge("invalid_token", "token is not an RFC 6750 b64token", 401));
    }
    if (accessTokenJwt != null) {
      // accessTokenJWTFilter: that JWT Filter decides (its errors, its injected headers).
      return accessTokenJwt.check(request, arguments);
    }
    AccessTokenValidation mode = context.spec().accessTokenValidation();
    boolean looksJwt = token.chars().filter(c -> c == '.').count() == 2;
    boolean asJwt =
        mode == AccessTokenValidation.JWT || (mode == AccessTokenValidation.AUTO && looksJwt);
    Future<Boolean> accepted =
        asJwt
            ? context
                .provider()
                .verifyAccessTokenJwt(token)
                .map(
                    verified -> {
                      if (!OAuth2LoginFilter.scopes(stringClaim(verified.claims().get("scope")))
                          .containsAll(arguments.scopes())) {
                        throw new TokenException("insufficient_scope", "token lacks a scope");
                      }
                      return true;
                    })
            : context.provider().userinfoAccepts(token);
    return accepted
        .map(ok -> ok ? Verdict.ALLOW : challenge("invalid_token", "token not accepted", 401))
        .recover(
            failure -> {
              if (failure instanceof TokenException problem) {
                boolean scope = problem.errorCode().equals("insufficient_scope");
                return Future.succeededFuture(
                    challenge(problem.errorCode(), problem.getMessage(), scope ? 403 : 401));
              }
              return Future.succeededFuture(OAuth2LoginFilter.unavailablePage());
            });
  }

  private static String stringClaim(Object value) {
    return value instanceof String text
        ? text
        : value instanceof List<?> l
            ? String.join(" ", l.stream().map(String::valueOf).toList())
            : "";
  }

  private Verdict challenge(String error, String description, int status) {
    return new Verdict.Deny(
        status,
        List.of(
            Map.entry(
                "www-authenticate",
                "Bearer realm=\""
                    + context.name()
                    + "."
                    + context.namespace()
                    + "\", error=\""
                    + error
                    + "\", error_description=\""
                    + description
                    + "\""),
            Map.entry("content-type", "text/plain; charset=utf-8")),
        error + "\n");
  }
}
