package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Binder;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;

/**
 * A header to add, from {@code add_request_headers} / {@code add_response_headers}: either a bare
 * value or {@code {value, append}}. {@code append} (default true) keeps existing values. The value
 * may use the substitution commands of {@link HeaderFormat}.
 */
public record AddedHeader(@Required String value, @Default("true") Boolean append) {
  public AddedHeader {
    if (value != null) {
      try {
        HeaderFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new FieldException("value", Binder.quote(value) + " (" + e.getMessage() + ")");
      }
    }
  }

  /** A bare value; the binder shows a bad one as {@code "50%" (expected: ...)}. */
  public static AddedHeader fromScalar(String value) {
    HeaderFormat.parse(value);
    return new AddedHeader(value, true);
  }
}
