package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to a request that carried credentials for a token grant (ClientCredentials, Password):
 * allowed with the access token as its bearer and the credential headers removed; refused
 * credentials are 401, a provider that cannot answer is the unavailable page.
 */
final class GrantVerdicts {
  private GrantVerdicts() {}

  static Future<Verdict> of(
      Future<Provider.Tokens> grant, Set<String> credentialHeaders, String refused) {
    return grant
        .map(
            tokens ->
                (Verdict)
                    Verdict.allow(
                        new HeaderMutations(
                            Map.of("authorization", "Bearer " + tokens.accessToken()),
                            credentialHeaders,
                            List.of())))
        .recover(
            failure ->
                Future.succeededFuture(
                    failure instanceof Provider.ProviderException p && p.refused
                        ? Verdict.Deny.of(401, refused)
                        : OAuth2LoginFilter.unavailablePage()));
  }
}
