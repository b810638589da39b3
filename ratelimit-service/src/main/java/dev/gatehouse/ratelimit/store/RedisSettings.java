package dev.gatehouse.ratelimit.store;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * How to reach Redis.
 *
 * @param urls {@code redis://[user:password@]host:port[/db]} or {@code rediss://} for TLS; for
 *     Sentinel the sentinels, for Cluster any of its nodes
 * @param mode standalone, sentinel or cluster
 * @param masterName Sentinel only: the monitored master's name
 * @param keyPrefix prepended to every key, as envoyproxy/ratelimit's CACHE_KEY_PREFIX
 * @param insecureTls accept any server certificate (tests, self-signed set-ups)
 * @param poolSize connections per Redis node; requests are pipelined on them
 */
public record RedisSettings(
    List<URI> urls,
    Mode mode,
    String masterName,
    String keyPrefix,
    boolean insecureTls,
    int poolSize) {

  /** Redis deployments the store connects to. */
  public enum Mode {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  public RedisSettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("redis: no URL (expected: at least one redis:// URL)");
    }
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.SENTINEL && (masterName == null || masterName.isEmpty())) {
      throw new IllegalArgumentException(
          "redis-sentinel-master: missing (expected: the master's name with Sentinel)");
    }
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    if (poolSize < 1) {
      throw new IllegalArgumentException("redis-pool-size: " + poolSize + " (expected: >= 1)");
    }
  }

  /** One standalone Redis at {@code url}, no prefix. */
  public static RedisSettings standalone(String url) {
    return new RedisSettings(List.of(URI.create(url)), Mode.STANDALONE, null, "", false, 2);
  }
}
