package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Re2;
import dev.gatehouse.config.yaml.Required;

/**
 * A condition on a request header ({@code ifRequestHeader}): present, equal to {@code value}, or
 * matching {@code valueRegex}; {@code negate} inverts it.
 */
public record HeaderMatch(
    @Required String name, @Default("false") Boolean negate, String value, @Re2 String valueRegex) {
  public HeaderMatch {
    if (value != null && valueRegex != null) {
      throw new FieldException(
          "valueRegex", "given together with value (expected: at most one of value or valueRegex)");
    }
  }
}
