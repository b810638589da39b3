package dev.gatehouse.authz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.CheckClient;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.grpc.UnaryGrpcServer;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ext_authz v3 wire contract, over a real h2c connection. */
class CheckProtocolIT {
  private static Vertx vertx;
  private static UnaryGrpcServer server;
  private static CheckClient client;
  private static final AtomicReference<AuthzRequest> seen = new AtomicReference<>();
  private static final AtomicReference<Verdict> answer = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        UnaryGrpcServer.listen(
                vertx,
                new UnaryGrpcServer.Options("127.0.0.1", 0, 1, null),
                List.of(
                    AuthorizationServer.method(
                        request -> {
                          seen.set(request);
                          Verdict verdict = answer.get();
                          return verdict == null
                              ? Future.failedFuture(new IllegalStateException("no answer"))
                              : Future.succeededFuture(verdict);
                        })))
            .await(10, TimeUnit.SECONDS);
    client = new CheckClient(vertx, server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void checkRequestFieldsReachTheAuthorizer() {
    answer.set(Verdict.ALLOW);
    CheckRequest request =
        CheckRequest.newBuilder()
            .setAttributes(
                AttributeContext.newBuilder()
                    .putContextExtensions("gatehouse_rule", "default/p/0")
                    .setRequest(
                        AttributeContext.Request.newBuilder()
                            .setHttp(
                                AttributeContext.HttpRequest.newBuilder()
                                    .setMethod("POST")
                                    .setScheme("https")
                                    .setHost("App.Example.com")
                                    .setPath("/orders/7?expand=items%20all")
                                    .setBody("{\"qty\":1}")
                                    .putHeaders("x-request-id", "r-1")
                                    .putHeaders("cookie", "a=1; b=2"))))
            .build();

    CheckResponse response = client.check(request);

    assertThat(response.getStatus().getCode()).isZero();
    AuthzRequest got = seen.get();
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.scheme()).isEqualTo("https");
    assertThat(got.host()).isEqualTo("app.example.com");
    assertThat(got.path()).isEqualTo("/orders/7?expand=items%20all");
    assertThat(got.pathOnly()).isEqualTo("/orders/7");
    assertThat(got.body()).isEqualTo("{\"qty\":1}");
    assertThat(got.header("X-Request-Id")).isEqualTo("r-1");
    assertThat(got.header("cookie")).isEqualTo("a=1; b=2");
    assertThat(got.contextExtensions()).containsEntry("gatehouse_rule", "default/p/0");
  }

  @Test
  void allowCarriesHeadersToOverwriteRemoveAndAddToTheResponse() {
    answer.set(
        Verdict.allow(
            new HeaderMutations(
                Map.of("x-user", "alice"),
                Set.of("authorization"),
                List.of(Map.entry("x-served-by", "gatehouse")))));

    CheckResponse response = client.get("h", "/", Map.of("x-user", "mallory"));

    assertThat(response.getStatus().getCode()).isZero();
    HeaderValueOption set = response.getOkResponse().getHeaders(0);
    assertThat(set.getHeader().getKey()).isEqualTo("x-user");
    assertThat(set.getHeader().getValue()).isEqualTo("alice");
    assertThat(set.getAppendAction()).isEqualTo(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
    assertThat(set.getAppend().getValue()).isFalse();
    assertThat(response.getOkResponse().getHeadersToRemoveList()).containsExactly("authorization");
    assertThat(response.getOkResponse().getResponseHeadersToAdd(0).getHeader().getValue())
        .isEqualTo("gatehouse");
  }

  @Test
  void denialKeepsEverySetCookieStatusAndBody() {
    answer.set(
        new Verdict.Deny(
            302,
            List.of(
                Map.entry("location", "https://idp/authorize"),
                Map.entry("set-cookie", "a=1; HttpOnly"),
                Map.entry("set-cookie", "b=2; HttpOnly")),
            "redirecting"));

    CheckResponse response = client.get("h", "/", Map.of());

    assertThat(response.getStatus().getCode()).isEqualTo(7); // PERMISSION_DENIED
    assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(302);
    assertThat(response.getDeniedResponse().getBody()).isEqualTo("redirecting");
    assertThat(
            response.getDeniedResponse().getHeadersList().stream()
                .filter(h -> h.getHeader().getKey().equals("set-cookie"))
                .map(h -> h.getHeader().getValue()))
        .containsExactly("a=1; HttpOnly", "b=2; HttpOnly");
  }

  @Test
  void unauthenticatedDenialUsesTheUnauthenticatedCode() {
    answer.set(Verdict.Deny.of(401, "who are you"));

    assertThat(client.get("h", "/", Map.of()).getStatus().getCode()).isEqualTo(16);
  }

  @Test
  void authorizerFailureIsAGrpcErrorNotAnAllow() {
    answer.set(null);

    assertThat(
            client
                .checkAsync(CheckClient.request("GET", "http", "h", "/", Map.of(), Map.of()))
                .otherwise((CheckResponse) null)
                .await())
        .isNull();
  }
}
