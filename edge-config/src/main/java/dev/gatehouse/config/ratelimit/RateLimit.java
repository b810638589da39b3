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

  /** One limit. */
  public record Limit(
      String name,
      @Default("Enforce") Action action,
      @Required List<Map<String, String>> pattern,
      @Required @Range(min = 0, max = 4294967295L) Long rate,
      @Required Unit unit,
      @Range(min = 1) Integer burstFactor,
      List<InjectedHeader> injectRequestHeaders,
      List<InjectedHeader> injectResponseHeaders,
      ErrorResponse errorResponse) {
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
