package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Required;

/**
 * A header to add, from {@code add_request_headers} / {@code add_response_headers}: either a bare
 * value or {@code {value, append}}. {@code append} (default true) keeps existing values.
 */
public record AddedHeader(@Required String value, @Default("true") Boolean append) {
  public static AddedHeader fromScalar(String value) {
    return new AddedHeader(value, true);
  }
}
