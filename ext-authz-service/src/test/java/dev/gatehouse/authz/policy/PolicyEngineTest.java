package dev.gatehouse.authz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderCondition;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.auth.FilterPolicy.Next;
import dev.gatehouse.config.auth.HeaderMatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
  private final List<String> ran = new ArrayList<>();
  private final List<String> observed = new ArrayList<>();

  private Filter allowing(String name, String header, String value) {
    return (request, args) -> {
      ran.add(name);
      return Future.succeededFuture(
          header == null ? Verdict.ALLOW : Verdict.allow(HeaderMutations.setting(header, value)));
    };
  }

  private Filter denying(String name, int status) {
    return (request, args) -> {
      ran.add(name);
      return Future.succeededFuture(Verdict.Deny.of(status, name));
    };
  }

  private static Policy.Step step(String id, Filter filter) {
    return step(id, filter, null, Next.BREAK, Next.CONTINUE);
  }

  private static Policy.Step step(
      String id, Filter filter, HeaderCondition condition, Next onDeny, Next onAllow) {
    return new Policy.Step(id, filter, condition, onDeny, onAllow, FilterArguments.NONE);
  }

  private static Policy.Rule rule(
      String name, String host, String path, int precedence, Policy.Step... steps) {
    return new Policy.Rule(name, Glob.host(host), Glob.path(path), precedence, List.of(steps));
  }

  private Verdict check(Policy policy, AuthzRequest request) {
    PolicyEngine engine =
        new PolicyEngine(() -> policy, (id, outcome, nanos) -> observed.add(id + "=" + outcome));
    return engine.check(request).result();
  }

  private static AuthzRequest get(String host, String path, Map<String, String> headers) {
    return new AuthzRequest("GET", "https", host, path, headers, "", Map.of());
  }

  @Test
  void requestMatchingNoRuleIsAllowedUntouched() {
    Policy policy = new Policy(List.of(rule("r", "*", "/api/*", 0, step("d", denying("d", 401)))));

    assertThat(check(policy, get("h", "/public", Map.of()))).isEqualTo(Verdict.ALLOW);
    assertThat(ran).isEmpty();
  }

  @Test
  void firstMatchingRuleWinsAndRulesWithoutFiltersAllow() {
    Policy policy =
        new Policy(
            List.of(
                rule("open", "*", "/api/health", 0),
                rule("closed", "*", "/api/*", 0, step("d", denying("d", 401)))));

    assertThat(check(policy, get("h", "/api/health", Map.of()))).isEqualTo(Verdict.ALLOW);
    assertThat(check(policy, get("h", "/api/orders", Map.of())))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(401));
  }

  @Test
  void encodedPathStillMatchesTheProtectingRule() {
    Policy policy = new Policy(List.of(rule("r", "*", "/api/*", 0, step("d", denying("d", 401)))));

    assertThat(check(policy, get("h", "/%61pi/../api//x", Map.of())))
        .isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void hostGlobSelectsTheRule() {
    Policy policy =
        new Policy(List.of(rule("r", "*.internal", "*", 0, step("d", denying("d", 403)))));

    assertThat(check(policy, get("svc.internal:8080", "/", Map.of())))
        .isInstanceOf(Verdict.Deny.class);
    assertThat(check(policy, get("public.example", "/", Map.of()))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void mutationsOfSeveralFiltersAddUpAndLaterFiltersSeeEarlierHeaders() {
    Filter readsEarlier =
        (request, args) ->
            Future.succeededFuture(
                Verdict.allow(
                    HeaderMutations.setting("x-second", "saw " + request.header("x-first"))));
    Policy policy =
        new Policy(
            List.of(
                rule(
                    "r",
                    "*",
                    "*",
                    0,
                    step("a", allowing("a", "x-first", "1")),
                    step("b", readsEarlier))));

    Verdict verdict = check(policy, get("h", "/", Map.of("x-first", "spoofed")));

    assertThat(verdict)
        .isInstanceOfSatisfying(
            Verdict.Allow.class,
            a ->
                assertThat(a.mutations().set())
                    .containsEntry("x-first", "1")
                    .containsEntry("x-second", "saw 1"));
    assertThat(observed).containsExactly("a=ALLOWED", "b=ALLOWED");
  }

  @Test
  void onDenyContinueGoesOnAndOnAllowBreakStops() {
    Policy policy =
        new Policy(
            List.of(
                rule(
                    "r",
                    "*",
                    "*",
                    0,
                    step("soft", denying("soft", 401), null, Next.CONTINUE, Next.CONTINUE),
                    step("ok", allowing("ok", null, null), null, Next.BREAK, Next.BREAK),
                    step("never", denying("never", 403)))));

    assertThat(check(policy, get("h", "/", Map.of()))).isEqualTo(Verdict.ALLOW);
    assertThat(ran).containsExactly("soft", "ok");
  }

  @Test
  void ifRequestHeaderSkipsFilterWhenItDoesNotHold() {
    HeaderCondition browser =
        HeaderCondition.of(new HeaderMatch("accept", false, null, ".*html.*"));
    HeaderCondition notApi = HeaderCondition.of(new HeaderMatch("x-api", true, null, null));
    Policy policy =
        new Policy(
            List.of(
                rule(
                    "r",
                    "*",
                    "*",
                    0,
                    step("sso", denying("sso", 302), browser, Next.BREAK, Next.CONTINUE),
                    step("key", denying("key", 401), notApi, Next.BREAK, Next.CONTINUE))));

    assertThat(check(policy, get("h", "/", Map.of("accept", "text/html"))))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(302));
    assertThat(check(policy, get("h", "/", Map.of("accept", "application/json", "x-api", "1"))))
        .isEqualTo(Verdict.ALLOW);
    assertThat(check(policy, get("h", "/", Map.of())))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(401));
  }

  @Test
  void failingFilterDeniesWith500EvenWithOnDenyContinue() {
    Filter broken = (request, args) -> Future.failedFuture(new IllegalStateException("boom"));
    Policy policy =
        new Policy(
            List.of(rule("r", "*", "*", 0, step("x", broken, null, Next.CONTINUE, Next.CONTINUE))));

    assertThat(check(policy, get("h", "/", Map.of())))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(500));
    assertThat(observed).containsExactly("x=ERRORED");
  }

  @Test
  void contextExtensionNamesTheRuleAndAnUnknownNameFailsClosed() {
    Policy policy =
        new Policy(
            List.of(
                rule("default/p/0", "*", "*", 0),
                rule("default/p/1", "nowhere", "/never", 0, step("d", denying("d", 403)))));
    AuthzRequest named =
        new AuthzRequest(
            "GET", "http", "h", "/", Map.of(), "", Map.of(Policy.RULE_EXTENSION, "default/p/1"));
    AuthzRequest unknown =
        new AuthzRequest(
            "GET", "http", "h", "/", Map.of(), "", Map.of(Policy.RULE_EXTENSION, "default/p/9"));

    assertThat(check(policy, named))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(403));
    assertThat(check(policy, unknown))
        .isInstanceOfSatisfying(Verdict.Deny.class, d -> assertThat(d.status()).isEqualTo(500));
  }
}
