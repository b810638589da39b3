package dev.gatehouse.authz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCompilerTest {
  @TempDir Path dir;

  private LoadResult load(String yaml) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), yaml);
    LoadResult result = ResourceLoader.load(dir);
    assertThat(result.errors()).isEmpty();
    return result;
  }

  private static Verdict run(Policy policy, String path) {
    return new PolicyEngine(() -> policy, CheckObserver.NONE)
        .check(new AuthzRequest("GET", "http", "h", path, Map.of(), "", Map.of()))
        .result();
  }

  @Test
  void higherPrecedenceRuleIsTriedFirstWhateverItsPosition() throws Exception {
    LoadResult config =
        load(
            """
            apiVersion: getambassador.io/v3alpha1
            kind: FilterPolicy
            metadata: {name: p, namespace: default}
            spec:
              rules:
              - {host: "*", path: "/api/*", filters: [{name: deny}]}
              - {host: "*", path: "/api/public", precedence: 10, filters: null}
            ---
            apiVersion: getambassador.io/v3alpha1
            kind: Filter
            metadata: {name: deny, namespace: default}
            spec:
              APIKey: {keys: [{file: keys.txt}]}
            """);
    Filter deny = (r, a) -> Future.succeededFuture(Verdict.Deny.of(403, "no"));

    Policy policy = PolicyCompiler.compile(config, Map.of("default/deny", deny));

    assertThat(run(policy, "/api/public")).isEqualTo(Verdict.ALLOW);
    assertThat(run(policy, "/api/private")).isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void filterThatDidNotCompileOrBadArgumentsDeny() throws Exception {
    LoadResult config =
        load(
            """
            apiVersion: getambassador.io/v3alpha1
            kind: FilterPolicy
            metadata: {name: p, namespace: default}
            spec:
              rules:
              - {host: "*", path: "/a", filters: [{name: ghost}]}
              - {host: "*", path: "/b", filters: [{name: ok, arguments: {colour: red}}]}
            ---
            apiVersion: getambassador.io/v3alpha1
            kind: Filter
            metadata: {name: ghost, namespace: default}
            spec:
              APIKey: {keys: [{file: keys.txt}]}
            ---
            apiVersion: getambassador.io/v3alpha1
            kind: Filter
            metadata: {name: ok, namespace: default}
            spec:
              APIKey: {keys: [{file: keys.txt}]}
            """);
    Filter ok = (r, a) -> Future.succeededFuture(Verdict.ALLOW);

    Policy policy = PolicyCompiler.compile(config, Map.of("default/ok", ok));

    assertThat(run(policy, "/a"))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(500));
    assertThat(run(policy, "/b"))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(500));
  }
}
