package dev.gatehouse.config.distribution;

import java.util.List;

/**
 * Names shared by the control plane (the publisher) and the services (Hazelcast clients).
 *
 * <ul>
 *   <li>{@link #CONFIGS}: an {@code IMap<String, ServiceConfig>} keyed by service name ({@link
 *       #EXT_AUTHZ}, {@link #RATELIMIT}); the value is the whole configuration of that service.
 *       Read it at start, then follow entry updates (or the topic).
 *   <li>{@link #UPDATES}: an {@code ITopic<String>} with {@code service + " " + version} after each
 *       new configuration, a nudge for clients that do not keep map listeners.
 *   <li>{@link #SIGNING_KEYS}: an {@code IMap<String, SigningKey>} keyed by key id. Sign with the
 *       newest key ({@link SigningKey#newest}); verify with any key that has not expired. The
 *       leading control plane adds a key every rotation period and removes expired ones.
 * </ul>
 *
 * <p>Only the leading control-plane replica writes; every replica compiles the same resources to
 * the same versions, so a new leader republishes what was there.
 */
public final class Distribution {
  private Distribution() {}

  /** The Hazelcast cluster name of a Gatehouse installation (clients must use it too). */
  public static final String CLUSTER_NAME = "gatehouse";

  public static final String CONFIGS = "gatehouse.service-configs";
  public static final String UPDATES = "gatehouse.service-config-updates";
  public static final String SIGNING_KEYS = "gatehouse.signing-keys";

  /** The ext-authz service: Filters, FilterPolicies and the AuthService. */
  public static final String EXT_AUTHZ = "ext-authz";

  /** The rate-limit service: RateLimits and the RateLimitService (its domain). */
  public static final String RATELIMIT = "ratelimit";

  public static final List<String> SERVICES = List.of(EXT_AUTHZ, RATELIMIT);
}
