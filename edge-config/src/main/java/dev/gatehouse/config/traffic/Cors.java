package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.SingleOrList;
import dev.gatehouse.config.yaml.SnakeCase;
import java.util.Arrays;
import java.util.List;

/**
 * Cross-origin resource sharing for a Mapping or, from the ambassador Module, for all of them. Each
 * list also accepts one comma-separated string, as Emissary does.
 *
 * @param maxAge seconds, as a string ("86400")
 */
@SnakeCase
public record Cors(
    @SingleOrList List<String> origins,
    @SingleOrList List<String> methods,
    @SingleOrList List<String> headers,
    Boolean credentials,
    @SingleOrList List<String> exposedHeaders,
    String maxAge) {

  public Cors {
    origins = split(origins);
    methods = split(methods);
    headers = split(headers);
    exposedHeaders = split(exposedHeaders);
    if (maxAge != null && !maxAge.matches("\\d+")) {
      throw new dev.gatehouse.config.yaml.FieldException(
          "max_age", "\"" + maxAge + "\" (expected: a number of seconds, e.g. \"86400\")");
    }
  }

  private static List<String> split(List<String> values) {
    return values.stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }
}
