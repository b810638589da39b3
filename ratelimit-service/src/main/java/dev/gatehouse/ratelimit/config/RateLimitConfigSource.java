package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the service's configuration comes from: a watched directory today, the control plane over
 * Hazelcast later. A source delivers whole, valid configurations; what is invalid it reports itself
 * and keeps serving the last good version.
 */
public interface RateLimitConfigSource extends AutoCloseable {

  /**
   * Starts delivering configurations to {@code listener}, the first one before this returns. The
   * listener may be called from the source's own thread, never concurrently.
   */
  void start(Consumer<Update> listener);

  /**
   * A configuration to serve, and the problems found in the sources it came from (what they
   * rejected is not in it; the last good version of it is).
   */
  record Update(RateLimitConfig config, List<ConfigError> problems) {
    public Update {
      problems = List.copyOf(problems);
    }

    public long errorCount() {
      return problems.stream().filter(ConfigError::isError).count();
    }
  }

  /** Stops delivering. */
  @Override
  void close();
}
