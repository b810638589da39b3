package dev.gatehouse.authz.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.auth.ApiKeyFilter.KeySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyCheckFilterTest {
  @TempDir Path dir;

  private static Verdict check(ApiKeyCheckFilter filter, Map<String, String> headers) {
    return filter
        .check(
            new AuthzRequest("GET", "http", "h", "/", headers, "", Map.of()), FilterArguments.NONE)
        .result();
  }

  @Test
  void oneOfTheKeysInTheHeaderAllows() {
    ApiKeyCheckFilter filter = new ApiKeyCheckFilter("X-API-Key", List.of("k-one", "k-two"));

    assertThat(check(filter, Map.of("x-api-key", "k-two"))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void missingKeyIs401AndWrongKeyIs403() {
    ApiKeyCheckFilter filter = new ApiKeyCheckFilter("x-api-key", List.of("k-one"));

    assertThat(check(filter, Map.of()))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(401));
    assertThat(check(filter, Map.of("x-api-key", "k-on")))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(403));
    assertThat(check(filter, Map.of("x-api-key", "k-one-and-more")))
        .isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void keysNeverAppearInTheFiltersDescription() {
    ApiKeyCheckFilter filter = new ApiKeyCheckFilter("x-api-key", List.of("s3cr3t-key"));

    assertThat(filter.toString()).doesNotContain("s3cr3t").contains("1 keys");
  }

  @Test
  void fileSourceReadsOneKeyPerLineRelativeToTheConfigDir() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/team.txt"), "# team keys\nalpha\n\n  beta  \n");

    List<String> keys =
        new FileSecretSource(dir).keys("default", new KeySource(null, "keys/team.txt", null));

    assertThat(keys).containsExactly("alpha", "beta");
  }

  @Test
  void secretNameAndUnreadableFilesFailWithoutShowingKeys() {
    FileSecretSource source = new FileSecretSource(dir);

    assertThatThrownBy(() -> source.keys("default", new KeySource("api-keys", null, null)))
        .hasMessageContaining("default/api-keys")
        .hasMessageContaining("Kubernetes Secrets are not available");
    assertThatThrownBy(() -> source.keys("default", new KeySource(null, "nope.txt", null)))
        .hasMessageContaining("nope.txt");
  }
}
