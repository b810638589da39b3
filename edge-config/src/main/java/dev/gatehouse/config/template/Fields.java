package dev.gatehouse.config.template;

/**
 * A value in template data whose fields are computed rather than stored in a map, as Go templates
 * call methods ({@code .RetryAfter.Seconds}). Rendered as text by {@code toString}.
 */
public interface Fields {
  /** The field {@code name}, or null when there is none. */
  Object field(String name);

  /** The value as {@code | json} writes it: a number, a string, a map or a list. */
  Object json();
}
