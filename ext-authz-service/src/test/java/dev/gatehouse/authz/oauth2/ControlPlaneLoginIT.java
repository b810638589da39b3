package dev.gatehouse.authz.oauth2;

import static dev.gatehouse.authz.CheckClient.header;
import static dev.gatehouse.authz.CheckClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.ConfigDir;
import dev.gatehouse.authz.ControlPlaneFixture;
import dev.gatehouse.authz.apikey.SecretSource;
import dev.gatehouse.config.distribution.SigningKey;
import dev.gatehouse.testkit.OidcProvider;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two services as clients of one control-plane replica: a login on one is served by the other, the
 * session living in the control plane's cluster and its cookie signed with the control plane's
 * rotating key.
 */
class ControlPlaneLoginIT {

  @Test
  void aLoginOnOneServiceIsServedByTheOtherWithTheControlPlanesKey() throws Exception {
    Vertx vertx = Vertx.vertx();
    OidcProvider idp = new OidcProvider().start();
    try (ControlPlaneFixture controlPlane = new ControlPlaneFixture(vertx)) {
      OAuth2LoginIT.warmUp(idp);
      controlPlane.publish(
          "v1",
          ConfigDir.filter(
                  "sso",
                  """
                  OAuth2:
                    authorizationURL: %s
                    clientID: app
                    secret: s3cret
                    protectedOrigins: [{origin: "http://app.example.com"}]
                  """
                      .formatted(idp.issuerUrl("main")))
              + ConfigDir.policy(
                  "app", "rules: [{host: \"*\", path: \"*\", filters: [{name: sso}]}]"));
      SecretSource none = SecretSource.unavailable("no key files in this test");
      CheckClient a = new CheckClient(vertx, controlPlane.service(none, true).grpcPort());
      CheckClient b = new CheckClient(vertx, controlPlane.service(none, true).grpcPort());

      Browser browser = new Browser();
      CheckResponse first = browser.get(a, "/home", Map.of("accept", "text/html"));
      assertThat(status(first)).isEqualTo(302);
      String callback = browser.followToProvider(header(first, "location"));
      assertThat(status(browser.get(a, Browser.pathOf(callback), Map.of()))).isEqualTo(302);

      assertThat(status(browser.get(b, "/home", Map.of()))).isEqualTo(200);
      String[] session = browser.cookies.get("ambassador_session.sso.default").split("\\.");
      assertThat(controlPlane.replicas().signingKeys().values())
          .extracting(SigningKey::id)
          .contains(session[session.length - 2]);
      a.close();
      b.close();
    } finally {
      idp.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
