package dev.gatehouse.bench.authz;

import com.hazelcast.core.HazelcastInstance;
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
import dev.gatehouse.authz.oauth2.OAuth2Module;
import dev.gatehouse.authz.session.CookieSigner;
import dev.gatehouse.authz.session.EmbeddedHazelcast;
import dev.gatehouse.authz.session.HazelcastSessionStore;
import dev.gatehouse.authz.session.KeyRing;
import dev.gatehouse.authz.session.Session;
import dev.gatehouse.authz.session.SessionStore;
import dev.gatehouse.authz.session.SigningKeys;
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
 * endpoint beside them. Scenarios: {@code jwt} (RS256 bearer tokens, one header injected), {@code
 * session} (OAuth2 session cookies: signature check, session read from an embedded Hazelcast
 * member, headers injected, our cookie stripped) and {@code apikey}. Not a test: run it with {@code
 * bench/ext-authz/run.sh}.
 *
 * <p>Arguments: scenario seconds concurrency [service event loops] [client event loops].
 */
public final class AuthzBench {
  private AuthzBench() {}

  public static void main(String[] args) {
    int exit = 1;
    try {
      run(args);
      exit = 0;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      // Hazelcast and Vert.x leave non-daemon threads behind a failure: never hang the script.
      System.exit(exit);
    }
  }

  private static void run(String[] args) throws Exception {
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
    HazelcastInstance hazelcast =
        EmbeddedHazelcast.start(
            "gatehouse-bench-" + System.nanoTime(), "127.0.0.1", 5901, List.of());
    SessionStore sessions = new HazelcastSessionStore(serviceVertx, hazelcast);
    byte[] signingKey = KeyRing.signingKey(hazelcast, "cookie-signing");
    OAuth2Module oauth2 =
        new OAuth2Module(() -> new OAuth2Module.Shared(sessions, SigningKeys.fixed(signingKey)));

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
                List.of(oauth2),
                List.of(oauth2)));
    String clientKind = System.getProperty("bench.client", "grpc-java");
    LoadGenerator load =
        new LoadGenerator(
            clientKind.equals("vertx")
                ? LoadGenerator.vertx(clientVertx, service.grpcPort(), 4)
                : LoadGenerator.grpcJava(service.grpcPort(), serviceLoops));
    try {
      List<CheckRequest> requests =
          switch (scenario) {
            case "jwt" -> jwtRequests(key);
            case "apikey" -> List.of(request("/keys/x", Map.of("x-api-key", "bench-key-2")));
            case "session" -> sessionRequests(sessions, new CookieSigner(signingKey));
            default ->
                throw new IllegalArgumentException(
                    "scenario: " + scenario + " (expected: jwt, session or apikey)");
          };
      int warmup = Integer.getInteger("bench.warmup", 20);
      LoadGenerator.Result result = load.run(requests, concurrency, warmup, seconds);
      System.out.printf(
          Locale.ROOT,
          "scenario=%s client=%s warmup=%d seconds=%d concurrency=%d service_event_loops=%d"
              + " client_event_loops=%d"
              + " cores=%d%ncalls=%d calls_per_s=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f"
              + " denied=%d errors=%d cpu_s=%.1f calls_per_cpu_s=%.0f%n",
          scenario,
          clientKind,
          Integer.getInteger("bench.warmup", 20),
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
      hazelcast.shutdown();
    }
  }

  /** 64 users logged in, each request with its session cookie and an unrelated cookie. */
  private static List<CheckRequest> sessionRequests(SessionStore sessions, CookieSigner signer)
      throws Exception {
    List<CheckRequest> out = new ArrayList<>();
    long expires = System.currentTimeMillis() + Duration.ofHours(2).toMillis();
    for (int i = 0; i < 64; i++) {
      String id = CookieSigner.randomToken(32);
      Session session =
          new Session(
              "default/sso",
              "user-" + i,
              "id-token",
              "access-token-" + i,
              null,
              expires,
              "openid",
              CookieSigner.randomToken(24),
              Map.of("sub", "user-" + i, "email", "user-" + i + "@example.com"));
      sessions.put(id, session, Duration.ofHours(1)).await(10, TimeUnit.SECONDS);
      out.add(
          request(
              "/app/orders",
              Map.of(
                  "cookie",
                  "theme=dark; ambassador_session.sso.default=" + signer.sign(id),
                  "accept",
                  "text/html")));
    }
    return out;
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
        kind: Filter
        metadata: {name: sso, namespace: default}
        spec:
          OAuth2:
            authorizationURL: http://127.0.0.1:%d/never-contacted-on-the-session-path
            clientID: bench
            secret: bench
            protectedOrigins: [{origin: "https://api.example.com"}]
            injectRequestHeaders:
            - {name: x-user, value: "{{ .token.Claims.email }}"}
        ---
        apiVersion: getambassador.io/v3alpha1
        kind: FilterPolicy
        metadata: {name: bench, namespace: default}
        spec:
          rules:
          - {host: "*", path: "/jwt/*", filters: [{name: jwt}]}
          - {host: "*", path: "/keys/*", filters: [{name: keys}]}
          - {host: "*", path: "/app/*", filters: [{name: sso}]}
        """
        .formatted(jwksPort, jwksPort);
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
