package dev.gatehouse.config.template;

/** What {@code .httpRequestHeader} is in template data: {@code .Get "Name"} gives a header. */
@FunctionalInterface
public interface HeaderLookup {
  /** The header's value, or the empty string. */
  String get(String name);
}
