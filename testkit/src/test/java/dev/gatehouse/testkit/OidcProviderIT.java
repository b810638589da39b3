package dev.gatehouse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OidcProviderIT {

  @RegisterExtension static OidcProvider oidc = new OidcProvider();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void servesTheDiscoveryDocumentOfEachIssuer() throws Exception {
    HttpResponse<String> response = get(oidc.discoveryUrl("corp"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject discovery = new JsonObject(response.body());
    assertThat(oidc.issuerUrl("corp")).isEqualTo("http://127.0.0.1:" + oidc.port() + "/corp");
    assertThat(discovery.getString("issuer")).isEqualTo(oidc.issuerUrl("corp"));
    assertThat(discovery.getString("jwks_uri")).isEqualTo(oidc.jwksUrl("corp"));
    assertThat(discovery.getString("token_endpoint")).isEqualTo(oidc.tokenEndpointUrl("corp"));
    assertThat(discovery.getString("authorization_endpoint"))
        .isEqualTo(oidc.authorizationEndpointUrl("corp"));
    assertThat(discovery.getString("end_session_endpoint"))
        .isEqualTo(oidc.endSessionEndpointUrl("corp"));
  }

  @Test
  void issuedTokenCarriesTheRequestedSubjectAudienceAndClaims() {
    String token =
        oidc.issueToken("corp", "alice", "gatehouse", Map.of("groups", "admins", "level", 3));

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    JsonObject header = decode(parts[0]);
    JsonObject payload = decode(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(header.getString("kid")).isNotBlank();
    assertThat(payload.getString("iss")).isEqualTo(oidc.issuerUrl("corp"));
    assertThat(payload.getString("sub")).isEqualTo("alice");
    assertThat(payload.getValue("aud").toString()).contains("gatehouse");
    assertThat(payload.getString("groups")).isEqualTo("admins");
    assertThat(payload.getInteger("level")).isEqualTo(3);
    assertThat(Instant.ofEpochSecond(payload.getLong("exp")))
        .isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));
  }

  @Test
  void jwksPublishesTheKeyThatSignedTheToken() throws Exception {
    String token = oidc.issueToken("corp", "bob", "gatehouse", Map.of());
    String kid = decode(token.split("\\.")[0]).getString("kid");

    JsonObject jwks = new JsonObject(get(oidc.jwksUrl("corp")).body());

    assertThat(jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
        .contains(kid);
  }

  @Test
  void shutdownRefusesConnectionsAndRestartServesTheSameKeysOnTheSamePort() throws Exception {
    int port = oidc.port();
    String keysBefore = new JsonObject(get(oidc.jwksUrl("corp")).body()).encode();

    oidc.shutdown();
    assertThatThrownBy(() -> get(oidc.discoveryUrl("corp"))).isInstanceOf(ConnectException.class);
    String issuedWhileDown = oidc.issueToken("corp", "carol", "gatehouse", Map.of());
    assertThat(decode(issuedWhileDown.split("\\.")[1]).getString("sub")).isEqualTo("carol");

    oidc.restart();
    assertThat(oidc.port()).isEqualTo(port);
    assertThat(new JsonObject(get(oidc.jwksUrl("corp")).body()).encode()).isEqualTo(keysBefore);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject decode(String base64Url) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8));
  }
}
