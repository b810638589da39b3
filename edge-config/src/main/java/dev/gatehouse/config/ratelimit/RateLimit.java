package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.template.Template;
import dev.gatehouse.config.template.TemplateException;
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
      long paths = 1;
      for (int i = 0; i < pattern.size(); i++) {
        if (pattern.get(i).isEmpty()) {
          throw new FieldException(
              "pattern[" + i + "]", "{} (expected: at least one key: value pair)");
        }
        // Several pairs in one entry are alternatives: any of them matches that label.
        paths *= pattern.get(i).size();
        if (paths > MAX_PATTERN_PATHS) {
          throw new FieldException(
              "pattern",
              "more than "
                  + MAX_PATTERN_PATHS
                  + " combinations of alternatives (expected: fewer pairs per entry)");
        }
      }
      checkTemplates("injectRequestHeaders", injectRequestHeaders);
      checkTemplates("injectResponseHeaders", injectResponseHeaders);
      if (errorResponse != null) {
        checkTemplates("errorResponse.headers", errorResponse.headers());
        if (errorResponse.bodyTemplate() != null) {
          checkTemplate("errorResponse.bodyTemplate", errorResponse.bodyTemplate());
        }
      }
    }

    /** Every combination of a pattern's alternatives, each a path of (key, value) labels. */
    public List<List<Map.Entry<String, String>>> patternPaths() {
      List<List<Map.Entry<String, String>>> paths = List.of(List.of());
      for (Map<String, String> entry : pattern) {
        List<List<Map.Entry<String, String>>> longer = new java.util.ArrayList<>();
        for (List<Map.Entry<String, String>> path : paths) {
          for (Map.Entry<String, String> pair : entry.entrySet()) {
            List<Map.Entry<String, String>> next = new java.util.ArrayList<>(path);
            next.add(Map.entry(pair.getKey(), pair.getValue() == null ? "" : pair.getValue()));
            longer.add(List.copyOf(next));
          }
        }
        paths = longer;
      }
      return paths;
    }

    private static void checkTemplates(String field, List<InjectedHeader> headers) {
      if (headers != null) {
        for (int i = 0; i < headers.size(); i++) {
          checkTemplate(field + "[" + i + "].value", headers.get(i).value());
        }
      }
    }

    private static void checkTemplate(String field, String template) {
      try {
        Template.compile(template);
      } catch (TemplateException e) {
        throw new FieldException(field, e.getMessage());
      }
    }
  }

  /** The most descriptor paths one limit's pattern may stand for (alternatives multiply). */
  public static final int MAX_PATTERN_PATHS = 64;

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
