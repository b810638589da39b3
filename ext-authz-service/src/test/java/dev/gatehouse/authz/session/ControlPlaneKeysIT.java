package dev.gatehouse.authz.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.subscription.ControlPlaneClient;
import dev.gatehouse.controlplane.replicas.ReplicaOptions;
import dev.gatehouse.controlplane.replicas.Replicas;
import dev.gatehouse.testkit.FreePorts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cookies signed with the control plane's rotating keys: a cookie outlives the rotation of its key
 * (it still verifies while the key is valid) and dies with the key's expiry.
 */
class ControlPlaneKeysIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aCookieVerifiesAfterItsKeyRotatesAndNotAfterItExpires() throws Exception {
    int port = FreePorts.next();
    Replicas replicas =
        Replicas.start(
            new ReplicaOptions(
                Distribution.CLUSTER_NAME,
                "127.0.0.1",
                port,
                List.of(),
                null,
                Duration.ofSeconds(4)));
    ControlPlaneClient client = ControlPlaneClient.connect(List.of("127.0.0.1:" + port), "keys-it");
    ControlPlaneKeys keys =
        ControlPlaneKeys.follow(client.hazelcast(), Duration.ofMillis(100), Clock.systemUTC());
    try {
      assertThat(keys.awaitKeys(WAIT)).isTrue();
      CookieSigner signer = new CookieSigner(keys);
      String kid = keys.signing().id();
      String cookie = signer.sign("session-1");
      assertThat(cookie).contains("." + kid + ".");

      await().atMost(WAIT).until(() -> !keys.signing().id().equals(kid));
      assertThat(signer.verify(cookie)).isEqualTo("session-1");
      assertThat(signer.verify(signer.sign("session-2"))).isEqualTo("session-2");
      String otherKid = keys.signing().id();
      assertThat(signer.verify(cookie.replace("." + kid + ".", "." + otherKid + "."))).isNull();

      await().atMost(WAIT).until(() -> signer.verify(cookie) == null);
    } finally {
      keys.close();
      client.close();
      replicas.close();
    }
  }
}
