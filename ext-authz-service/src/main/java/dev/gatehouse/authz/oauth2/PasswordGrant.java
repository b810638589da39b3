package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Password grant, as Edge Stack defines it: every request carries {@code X-Ambassador-Username}
 * and {@code X-Ambassador-Password}; the filter trades them, as its own client, for an access token
 * at the provider (RFC 6749 4.3) and sends that upstream as the bearer token, the credentials
 * removed. Nothing is cached: each request is one token call, and the credentials are never logged.
 */
final class PasswordGrant {
  static final String USERNAME_HEADER = "x-ambassador-username";
  static final String PASSWORD_HEADER = "x-ambassador-password";

  private final OAuth2Context context;

  PasswordGrant(OAuth2Context context) {
    this.context = context;
  }

  Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    String username = request.header(USERNAME_HEADER);
    String password = request.header(PASSWORD_HEADER);
    if (username == null || password == null) {
      return Future.succeededFuture(
          new Verdict.Deny(
              401,
              List.of(Map.entry("www-authenticate", "Basic realm=\"" + context.id() + "\"")),
              "X-Ambassador-Username and X-Ambassador-Password required\n"));
    }
    return GrantVerdicts.of(
        context.provider().password(username, password, String.join(" ", arguments.scopes())),
        Set.of(USERNAME_HEADER, PASSWORD_HEADER),
        "username or password refused\n");
  }
}
