package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one log line of each configuration load, whatever its source. */
final class LoadLog {
  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.ratelimit.config");

  private LoadLog() {}

  /**
   * Logs what is served now and every problem with its place.
   *
   * @param origin where it came from, e.g. {@code dir=/etc/ratelimit envoy_files=1}
   */
  static void log(RateLimitConfigSource.Update update, String origin, long nanos) {
    String line =
        "config loaded: version="
            + update.config().version()
            + " "
            + origin
            + " domains="
            + update.config().domains().size()
            + " limits="
            + update.config().limitCount()
            + " errors="
            + update.errorCount()
            + " warnings="
            + (update.problems().size() - update.errorCount())
            + " millis="
            + nanos / 1_000_000
            + (update.problems().isEmpty()
                ? ""
                : " problems=["
                    + update.problems().stream()
                        .map(ConfigError::toString)
                        .collect(Collectors.joining(" | "))
                    + "]");
    if (update.errorCount() > 0) {
      LOG.warn(line);
    } else {
      LOG.info(line);
    }
  }
}
