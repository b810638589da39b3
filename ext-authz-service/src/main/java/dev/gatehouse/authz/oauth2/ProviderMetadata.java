package dev.gatehouse.authz.oauth2;

import io.vertx.core.json.JsonObject;

/** The endpoints an OIDC provider publishes at {@code /.well-known/openid-configuration}. */
record ProviderMetadata(
    String issuer,
    String authorizationEndpoint,
    String tokenEndpoint,
    String jwksUri,
    String userinfoEndpoint,
    String endSessionEndpoint) {

  static ProviderMetadata parse(JsonObject json) {
    ProviderMetadata metadata =
        new ProviderMetadata(
            json.getString("issuer"),
            json.getString("authorization_endpoint"),
            json.getString("token_endpoint"),
            json.getString("jwks_uri"),
            json.getString("userinfo_endpoint"),
            json.getString("end_session_endpoint"));
    if (metadata.issuer() == null
        || metadata.authorizationEndpoint() == null
        || metadata.tokenEndpoint() == null
        || metadata.jwksUri() == null) {
      throw new IllegalArgumentException(
          "discovery document lacks issuer, authorization_endpoint, token_endpoint or jwks_uri");
    }
    return metadata;
  }
}
