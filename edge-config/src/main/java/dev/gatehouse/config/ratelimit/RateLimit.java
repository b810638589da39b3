package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.IgnoreCase;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;
import java.util.Map;

/**
 * The spec of an Edge Stack {@code RateLimit}: limits on the descriptors of one domain, each chosen
 * by a pattern of labels ({@code ""} or {@code "*"} matches any value; the longest pattern wins).
 */
public record RateLimit(@Required String domain, List<Limit> limits) {
  public RateLimit {
    if (domain.isBlank()) {
      throw new FieldException("domain", "\"\" (expected: a domain such as ambassador)");
    }
  }

  /**
   * One limit.
   *
   * @param algorithm a Gatehouse extension; absent: {@code token_bucket} when burstFactor is set,
   *     else {@code fixed_window}
   * @param unitMultiplier a Gatehouse extension: the window is this many units (e.g. 5 minutes)
   */
  public record Limit(
      String name,
      @Default("Enforce") Action action,
      @Required List<Map<String, String>> pattern,
      @Required @Range(min = 0, max = 4294967295L) Long rate,
      @Required Unit unit,
      @Range(min = 1) Integer burstFactor,
      List<InjectedHeader> injectRequestHeaders,
      List<InjectedHeader> injectResponseHeaders,
      ErrorResponse errorResponse,
      Algorithm algorithm,
      @Default("1") @Range(min = 1, max = 1_000_000) Integer unitMultiplier) {
    public Limit {
      if (pattern.isEmpty()) {
        throw new FieldException("pattern", "empty (expected: at least one {key: value} entry)");
      }
      for (int i = 0; i < pattern.size(); i++) {
        if (pattern.get(i).size() != 1) {
          throw new FieldException(
              "pattern[" + i + "]",
              pattern.get(i).size() + " keys (expected: exactly one key: value pair per entry)");
        }
      }
    }
  }

  /** How a limit counts: Gatehouse's extension of Edge Stack's fixed windows. */
  @IgnoreCase
  public enum Algorithm {
    @YamlName("fixed_window")
    FIXED_WINDOW,
    @YamlName("sliding_window")
    SLIDING_WINDOW,
    @YamlName("token_bucket")
    TOKEN_BUCKET
  }

  /** Enforce answers 429 over the limit; LogOnly only records it. */
  @IgnoreCase
  public enum Action {
    @YamlName("Enforce")
    ENFORCE,
    @YamlName("LogOnly")
    LOG_ONLY
  }

  /** The window unit of a limit. */
  @IgnoreCase
  public enum Unit {
    SECOND,
    MINUTE,
    HOUR,
    DAY;

    public long seconds() {
      return switch (this) {
        case SECOND -> 1;
        case MINUTE -> 60;
        case HOUR -> 3600;
        case DAY -> 86400;
      };
    }
  }

  /** The 429's extra headers and body. */
  public record ErrorResponse(List<InjectedHeader> headers, String bodyTemplate) {}
}
