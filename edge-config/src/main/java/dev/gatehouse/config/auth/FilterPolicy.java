package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;
import java.util.Map;

/**
 * The spec of a {@code FilterPolicy}: rules of host and path globs, the first matching one wins,
 * each naming the Filters to run in order.
 */
public record FilterPolicy(@Required List<Rule> rules) {
  public FilterPolicy {
    if (rules.isEmpty()) {
      throw new FieldException("rules", "empty (expected: at least one rule)");
    }
  }

  /**
   * One rule; {@code filters: null} or an empty list means the matched requests pass unfiltered.
   */
  public record Rule(
      @Default("*") String host,
      @Default("*") String path,
      Integer precedence,
      List<FilterRef> filters) {}

  /** A Filter to run, and what to do after it. */
  public record FilterRef(
      @Required String name,
      String namespace,
      HeaderMatch ifRequestHeader,
      @Default("break") Next onDeny,
      @Default("continue") Next onAllow,
      Map<String, Object> arguments) {}

  /** Whether to stop at this filter's verdict or go on to the next filter. */
  public enum Next {
    @YamlName("break")
    BREAK,
    @YamlName("continue")
    CONTINUE
  }
}
