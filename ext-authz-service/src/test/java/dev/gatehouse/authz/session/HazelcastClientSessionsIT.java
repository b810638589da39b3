package dev.gatehouse.authz.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * As a client of another cluster (the control plane's, in a deployment), the service shares
 * sessions and the cookie-signing key with that cluster's members.
 */
class HazelcastClientSessionsIT {

  @Test
  void clientSeesTheClustersSessionsAndSigningKey() throws Exception {
    String cluster = "gatehouse-client-it-" + System.nanoTime();
    int port = FreePorts.next();
    HazelcastInstance member =
        EmbeddedHazelcast.start(cluster, "127.0.0.1", port, List.of("127.0.0.1:" + port));
    HazelcastInstance client = EmbeddedHazelcast.client(cluster, List.of("127.0.0.1:" + port));
    Vertx vertx = Vertx.vertx();
    try {
      Session session =
          new Session(
              "default/sso", "alice", "id", "at", null, 0, "openid", "x", Map.of("sub", "alice"));
      new HazelcastSessionStore(vertx, member)
          .put("s-1", session, Duration.ofMinutes(5))
          .await(10, TimeUnit.SECONDS);

      Session read =
          new HazelcastSessionStore(vertx, client).get("s-1").await(10, TimeUnit.SECONDS);

      assertThat(read).isEqualTo(session);
      assertThat(KeyRing.signingKey(client, "cookie-signing"))
          .isEqualTo(KeyRing.signingKey(member, "cookie-signing"));
    } finally {
      client.shutdown();
      member.shutdown();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
