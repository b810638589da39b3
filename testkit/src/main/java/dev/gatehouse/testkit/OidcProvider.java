package dev.gatehouse.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;

/**
 * A real OIDC provider for tests: navikt's mock-oauth2-server on 127.0.0.1, as a JUnit 5 extension
 * or on its own ({@link #start()}, {@link #close()}).
 *
 * <p>Every issuer id is its own issuer under {@code http://127.0.0.1:PORT/ISSUER_ID}, with
 * discovery, JWKS, token, authorization and end-session endpoints. {@link #shutdown()} and {@link
 * #restart()} take the provider away and bring it back on the same port with the same signing keys,
 * as a real provider restart would.
 */
public final class OidcProvider extends ServerExtension {

  private static final InetAddress LOOPBACK = loopback();

  private final OAuth2Config baseConfig = new OAuth2Config();
  private MockOAuth2Server server;
  private int port;
  private boolean running;

  /** Starts the provider (first time on a free port, later on the same one); idempotent. */
  public synchronized OidcProvider start() {
    if (running) {
      return this;
    }
    if (port != 0) {
      server = startOn(port);
    } else {
      // Never on port 0: MockWebServer sets SO_REUSEADDR only for an explicit port, and without
      // it the connections of the first run would keep a restart from binding the same port.
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3 && server == null; attempt++) {
        int candidate = FreePorts.next();
        try {
          server = startOn(candidate);
          port = candidate;
        } catch (IllegalStateException e) {
          last = e;
        }
      }
      if (server == null) {
        throw last;
      }
    }
    running = true;
    return this;
  }

  private MockOAuth2Server startOn(int port) {
    // mock-oauth2-server's HTTP server cannot be started twice, so each start gets a new one;
    // sharing the token provider keeps the signing keys and so the JWKS across restarts.
    OAuth2Config config =
        baseConfig.copy(
            baseConfig.getInteractiveLogin(),
            baseConfig.getLoginPagePath(),
            baseConfig.getStaticAssetsPath(),
            baseConfig.getRotateRefreshToken(),
            baseConfig.getTokenProvider(),
            baseConfig.getTokenCallbacks(),
            new MockWebServerWrapper());
    MockOAuth2Server started = new MockOAuth2Server(config);
    try {
      started.start(LOOPBACK, port);
      return started;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      // Kotlin throws IOException without declaring it.
      throw new IllegalStateException("cannot start the OIDC provider on 127.0.0.1:" + port, e);
    }
  }

  /** Stops answering: connections to the provider are refused until {@link #restart()}. */
  public synchronized void shutdown() {
    if (!running) {
      return;
    }
    try {
      server.shutdown();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot shut down the OIDC provider on port " + port, e);
    }
    running = false;
  }

  /** Starts the provider again on the same port with the same signing keys. */
  public synchronized OidcProvider restart() {
    shutdown();
    return start();
  }

  /** Whether the provider is answering. */
  public synchronized boolean isRunning() {
    return running;
  }

  public synchronized int port() {
    requireStarted();
    return port;
  }

  /** {@code http://127.0.0.1:PORT/ISSUER_ID}, the {@code iss} of the tokens it issues. */
  public String issuerUrl(String issuerId) {
    // Built here rather than asked of the server so that it also answers while shut down.
    return "http://127.0.0.1:" + port() + "/" + issuerId;
  }

  /** The issuer's {@code /.well-known/openid-configuration}. */
  public String discoveryUrl(String issuerId) {
    return issuerUrl(issuerId) + "/.well-known/openid-configuration";
  }

  public String jwksUrl(String issuerId) {
    return issuerUrl(issuerId) + "/jwks";
  }

  public String tokenEndpointUrl(String issuerId) {
    return issuerUrl(issuerId) + "/token";
  }

  public String authorizationEndpointUrl(String issuerId) {
    return issuerUrl(issuerId) + "/authorize";
  }

  public String endSessionEndpointUrl(String issuerId) {
    return issuerUrl(issuerId) + "/endsession";
  }

  /**
   * A JWT signed by the issuer's key, valid for an hour, with {@code sub}, {@code aud} and the
   * given extra claims.
   */
  public String issueToken(
      String issuerId, String subject, String audience, Map<String, Object> claims) {
    return issueToken(issuerId, subject, audience, claims, Duration.ofHours(1));
  }

  /** As {@link #issueToken(String, String, String, Map)}, valid for {@code validFor}. */
  public String issueToken(
      String issuerId,
      String subject,
      String audience,
      Map<String, Object> claims,
      Duration validFor) {
    return server()
        .issueToken(issuerId, subject, audience, Map.copyOf(claims), validFor.toSeconds())
        .serialize();
  }

  /** The running mock-oauth2-server, for what this class does not cover (e.g. login callbacks). */
  public synchronized MockOAuth2Server server() {
    requireStarted();
    return server;
  }

  @Override
  void startServer() {
    start();
  }

  @Override
  boolean serverRunning() {
    return isRunning();
  }

  @Override
  public void close() {
    shutdown();
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("OIDC provider: not started yet (expected: start() first)");
    }
  }

  private static InetAddress loopback() {
    try {
      // Named by its literal, so the issuer URLs say 127.0.0.1 rather than a resolved name.
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a literal address is always valid", e);
    }
  }
}
