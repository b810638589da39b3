package dev.gatehouse.config;

/**
 * One problem found while loading configuration, located precisely enough to fix it without
 * searching: where, which resource, which field.
 *
 * <p>Rendered as {@code quote.yaml:14: Mapping default/quote: spec.timeout_ms: -5 (expected: >=
 * 0)}.
 */
public record ConfigError(Severity severity, Source source, String resource, String message) {

  /** Errors reject the resource they are found in; warnings only inform. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public static ConfigError error(Source source, String resource, String message) {
    return new ConfigError(Severity.ERROR, source, resource, message);
  }

  public static ConfigError warning(Source source, String resource, String message) {
    return new ConfigError(Severity.WARNING, source, resource, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(source.toString()).append(": ");
    if (severity == Severity.WARNING) {
      out.append("warning: ");
    }
    if (resource != null && !resource.isEmpty()) {
      out.append(resource).append(": ");
    }
    return out.append(message).toString();
  }
}
