package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import java.util.Map;

/** A custom body for responses with one status code (Emissary's error_response_overrides). */
@SnakeCase
public record ErrorResponseOverride(
    @Required @Range(min = 400, max = 599) Integer onStatusCode, @Required Body body) {

  /** Exactly one of text_format, json_format, text_format_source. */
  @SnakeCase
  public record Body(
      String textFormat,
      Map<String, String> jsonFormat,
      TextFormatSource textFormatSource,
      String contentType) {
    public Body {
      int formats =
          (textFormat != null ? 1 : 0)
              + (jsonFormat.isEmpty() ? 0 : 1)
              + (textFormatSource != null ? 1 : 0);
      if (formats != 1) {
        throw new FieldException(
            "text_format",
            formats
                + " body formats given (expected: exactly one of text_format, json_format or text_format_source)");
      }
    }
  }

  /** A body read from a file. */
  public record TextFormatSource(@Required String filename) {}
}
