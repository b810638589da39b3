package dev.gatehouse.config.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.LoadResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
  private static final String LIMIT =
      "apiVersion: getambassador.io/v3alpha1\nkind: RateLimit\nmetadata: {name: per-org}\n"
          + "spec:\n  domain: ambassador\n  limits:\n  - pattern: [{x-org: \"\"}]\n"
          + "    rate: 10\n    unit: minute\n";

  @Test
  void aSubscriberLoadsTheDocumentsWithTheirOriginalFileAndLine() {
    ServiceConfig config =
        new ServiceConfig(
            Distribution.RATELIMIT,
            "v1",
            List.of(
                new PublishedDocument("limits/orgs.yaml", 12, "RateLimit default/per-org", LIMIT)),
            "member-1",
            0);

    LoadResult loaded = config.load("default");

    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo("RateLimit default/per-org");
              assertThat(r.source().toString()).isEqualTo("limits/orgs.yaml:12");
            });
  }

  @Test
  void anErrorInAPublishedDocumentNamesTheOriginalLine() {
    ServiceConfig config =
        new ServiceConfig(
            Distribution.RATELIMIT,
            "v1",
            List.of(
                new PublishedDocument(
                    "limits.yaml", 5, "RateLimit default/per-org", LIMIT.replace("10", "-1"))),
            "member-1",
            0);

    assertThat(config.load("default").errors())
        .singleElement()
        .asString()
        .startsWith("limits.yaml:12: RateLimit default/per-org: spec.limits[0].rate: -1");
  }

  @Test
  void valuesSurviveJavaSerializationAsHazelcastStoresThem() throws Exception {
    ServiceConfig config =
        new ServiceConfig(
            Distribution.EXT_AUTHZ,
            "abc",
            List.of(new PublishedDocument("f.yaml", 1, "Filter default/jwt", "kind: Filter\n")),
            "m",
            42);
    SigningKey key = new SigningKey("k1", "HS256", "c2VjcmV0", 1, 2);

    assertThat(roundTrip(config)).isEqualTo(config);
    assertThat(roundTrip(key)).isEqualTo(key);
    assertThat(key.toString()).doesNotContain("c2VjcmV0");
  }

  @Test
  void theNewestUnexpiredKeySigns() {
    SigningKey old = new SigningKey("old", "HS256", "a", 1, 1000);
    SigningKey current = new SigningKey("current", "HS256", "b", 500, 2000);
    SigningKey expired = new SigningKey("expired", "HS256", "c", 900, 600);

    assertThat(SigningKey.newest(List.of(old, current, expired), 700)).contains(current);
    assertThat(SigningKey.newest(List.of(old), 1000)).isEmpty();
  }

  private static Object roundTrip(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
