package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ClientCredentials grant, for service-to-service calls: the caller sends its own client id and
 * secret in {@code X-Ambassador-Client-ID} / {@code X-Ambassador-Client-Secret}; the filter trades
 * them for an access token at the provider and sends that upstream as the bearer token, the
 * credentials removed. A caller may instead present a bearer token, checked as usual.
 */
final class ClientCredentials {
  static final String ID_HEADER = "x-ambassador-client-id";
  static final String SECRET_HEADER = "x-ambassador-client-secret";

  private final OAuth2Context context;
  private final AccessTokenJwtFilter accessTokenJwt;

  ClientCredentials(OAuth2Context context, AccessTokenJwtFilter accessTokenJwt) {
    this.context = context;
    this.accessTokenJwt = accessTokenJwt;
  }

  Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    String clientId = request.header(ID_HEADER);
    String secret = request.header(SECRET_HEADER);
    if (clientId == null || secret == null) {
      String bearer = OAuth2LoginFilter.bearer(request.header("authorization"));
      if (bearer != null) {
        return new BearerValidation(context, accessTokenJwt).check(request, arguments, bearer);
      }
      return Future.succeededFuture(
          new Verdict.Deny(
              401,
              List.of(Map.entry("www-authenticate", "Bearer realm=\"" + context.id() + "\"")),
              "client credentials or a bearer token required\n"));
    }
    return GrantVerdicts.of(
        context
            .provider()
            .clientCredentials(clientId, secret, String.join(" ", arguments.scopes())),
        Set.of(ID_HEADER, SECRET_HEADER),
        "client credentials refused\n");
  }
}
