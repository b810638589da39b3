package dev.gatehouse.bench.authz;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.DirectoryConfigSource;
import dev.gatehouse.authz.ExtAuthzService;
import dev.gatehouse.authz.apikey.FileSecretSource;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ext-authz benchmark: the service and a gRPC load generator in one JVM on loopback, a JWKS
 * endpoint beside them. Scenarios: {@code jwt} (RS256 bearer tokens, one header injected) and
 * {@code apikey}. Not a test: run it with {@code bench/ext-authz/run.sh}.
 *
 * <p>Arguments: scenario seconds concurrency [service event loops] [client event loops].
 */
public final class AuthzBench {
  private AuthzBench() {}

  public static void main(String[] args) throws Exception {
    String scenario = args.length > 0 ? args[0] : "jwt";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    int serviceLoops = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int clientLoops = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    if (seconds < 1 || seconds > 120 || concurrency < 1 || concurrency > 4096) {
      throw new IllegalArgumentException(
          "seconds: "
              + seconds
              + " (expected: 1..120), concurrency: "
              + concurrency
              + " (expected: 1..4096)");
    }

    Vertx infra = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx serviceVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(serviceLoops));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientLoops));
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    HttpServer jwksServer =
        infra
            .createHttpServer()
            .requestHandler(
                r -> r.response().putHeader("content-type", "application/json").end(jwks))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    Path dir = Files.createTempDirectory("gatehouse-authz-bench");
    Files.writeString(dir.resolve("keys.txt"), "bench-key-1\nbench-key-2\n");
    Files.writeString(dir.resolve("authz.yaml"), config(jwksServer.actualPort()));

    ExtAuthzService service =
        ExtAuthzService.start(
            serviceVertx,
            new ExtAuthzService.Settings(
                new DirectoryConfigSource(dir, "default", Duration.ofSeconds(1)),
                new FileSecretSource(dir),
                "127.0.0.1",
                0,
                -1,
                -1,
                serviceLoops,
                Duration.ofSeconds(5),
                AuthzRuntime.JwksTimings.DEFAULT,
                List.of(),
                List.of()));
    LoadGenerator load = new LoadGenerator(clientVertx, service.grpcPort(), 4);
    try {
      List<CheckRequest> requests =
          switch (scenario) {
            case "jwt" -> jwtRequests(key);
            case "apikey" -> List.of(request("/keys/x", Map.of("x-api-key", "bench-key-2")));
            default ->
                throw new IllegalArgumentException(
                    "scenario: " + scenario + " (expected: jwt or apikey)");
          };
      LoadGenerator.Result result = load.run(requests, concurrency, 5, seconds);
      System.out.printf(
          Locale.ROOT,
          "scenario=%s seconds=%d concurrency=%d service_event_loops=%d client_event_loops=%d"
              + " cores=%d%ncalls=%d calls_per_s=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f"
              + " denied=%d errors=%d cpu_s=%.1f calls_per_cpu_s=%.0f%n",
          scenario,
          seconds,
          concurrency,
          serviceLoops,
          clientLoops,
          Runtime.getRuntime().availableProcessors(),
          result.calls(),
          result.callsPerSecond(),
          result.percentileMillis(50),
          result.percentileMillis(99),
          result.percentileMillis(99.9),
          result.denied(),
          result.errors(),
          result.cpuSeconds(),
          result.callsPerCpuSecond());
    } finally {
      load.close();
      service.close();
      clientVertx.close().await(10, TimeUnit.SECONDS);
      serviceVertx.close().await(10, TimeUnit.SECONDS);
      infra.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String config(int jwksPort) {
    return """
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: jwt, namespace: default}
        spec:
          JWT:
            jwksURI: http://127.0.0.1:%d/jwks
            validAlgorithms: [RS256]
            issuer: https://bench.test
            requireIssuer: true
            audience: api
            requireAudience: true
            injectRequestHeaders:
            - {name: x-user, value: "{{ .token.Claims.sub }}"}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: Filter
        metadata: {name: keys, namespace: default}
        spec:
          APIKey: {keys: [{file: keys.txt}]}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: bench, namespace: default}
        spec:
          rules:
          - {host: "*", path: "/jwt/*", filters: [{name: jwt}]}
          - {host: "*", path: "/keys/*", filters: [{name: keys}]}
        """
        .formatted(jwksPort);
  }

  /** 64 different users' tokens, so nothing can lean on one token being repeated. */
  private static List<CheckRequest> jwtRequests(RSAKey key) throws Exception {
    List<CheckRequest> out = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 64; i++) {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID("bench")
                  .type(JOSEObjectType.JWT)
                  .build(),
              new JWTClaimsSet.Builder()
                  .subject("user-" + i)
                  .issuer("https://bench.test")
                  .audience("api")
                  .issueTime(Date.from(now))
                  .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                  .build());
      jwt.sign(new RSASSASigner(key));
      out.add(request("/jwt/orders", Map.of("authorization", "Bearer " + jwt.serialize())));
    }
    return out;
  }

  private static CheckRequest request(String path, Map<String, String> headers) {
    return CheckRequest.newBuilder()
        .setAttributes(
            AttributeContext.newBuilder()
                .setRequest(
                    AttributeContext.Request.newBuilder()
                        .setHttp(
                            AttributeContext.HttpRequest.newBuilder()
                                .setMethod("GET")
                                .setScheme("https")
                                .setHost("api.example.com")
                                .setPath(path)
                                .putAllHeaders(headers)
                                .putHeaders("user-agent", "bench")
                                .putHeaders("x-request-id", "bench"))))
        .build();
  }
}
