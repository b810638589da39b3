package dev.gatehouse.authz;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;

/**
 * What compiled filters share: Vert.x, the web clients for outbound calls (JWKS, discovery, token
 * endpoints), the timeout of such calls and the clock.
 */
public final class AuthzRuntime {
  private final Vertx vertx;
  private final WebClient verifying;
  private final WebClient trustAll;
  private final Duration outboundTimeout;
  private final Clock clock;
  private final JwksTimings jwks;

  /**
   * How JWKS caches behave: keys are fresh for {@code refreshAfter}, kept {@code defaultMaxStale}
   * beyond that while the endpoint is down (unless the Filter says {@code maxStale}), and fetched
   * at most once per {@code minFetchInterval} for unknown kids or after failures.
   */
  public record JwksTimings(
      Duration refreshAfter, Duration defaultMaxStale, Duration minFetchInterval) {
    public static final JwksTimings DEFAULT =
        new JwksTimings(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(10));
  }

  public AuthzRuntime(Vertx vertx, Duration outboundTimeout, Clock clock, JwksTimings jwks) {
    this.jwks = jwks;
    this.vertx = vertx;
    this.verifying =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgent("gatehouse-ext-authz")
                .setConnectTimeout((int) outboundTimeout.toMillis())
                .setFollowRedirects(false));
    this.trustAll =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgent("gatehouse-ext-authz")
                .setConnectTimeout((int) outboundTimeout.toMillis())
                .setFollowRedirects(false)
                .setTrustAll(true)
                .setVerifyHost(false));
    this.outboundTimeout = outboundTimeout;
    this.clock = clock;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The client for outbound calls; {@code insecureTLS} skips certificate checks (Edge Stack's). */
  public WebClient webClient(boolean insecureTls) {
    return insecureTls ? trustAll : verifying;
  }

  public Duration outboundTimeout() {
    return outboundTimeout;
  }

  public JwksTimings jwks() {
    return jwks;
  }

  public Clock clock() {
    return clock;
  }

  public void close() {
    verifying.close();
    trustAll.close();
  }
}
