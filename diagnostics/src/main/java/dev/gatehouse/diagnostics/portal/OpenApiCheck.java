package dev.gatehouse.diagnostics.portal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Whether a fetched text is an OpenAPI 3 document (JSON or YAML with {@code openapi: 3.x}). */
final class OpenApiCheck {
  private static final int MAX_CHARS = 8 * 1024 * 1024;

  private OpenApiCheck() {}

  /** Null when it is one, else what is wrong with it. */
  static String problem(String text) {
    if (text == null || text.isBlank()) {
      return "empty document (expected: an OpenAPI 3 document)";
    }
    if (text.length() > MAX_CHARS) {
      return "document of " + text.length() + " characters (expected: at most " + MAX_CHARS + ")";
    }
    Object version;
    if (text.stripLeading().startsWith("{")) {
      try {
        version = new JsonObject(text).getValue("openapi");
      } catch (DecodeException e) {
        return "not JSON: " + e.getMessage();
      }
    } else {
      Object parsed;
      try {
        parsed = new Load(LoadSettings.builder().build()).loadFromString(text);
      } catch (RuntimeException e) {
        return "neither JSON nor YAML: " + e.getMessage();
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        return "not an object (expected: an OpenAPI 3 document)";
      }
      version = map.get("openapi");
    }
    if (version == null || !String.valueOf(version).startsWith("3.")) {
      return "openapi: " + version + " (expected: an OpenAPI 3 document, openapi: 3.x)";
    }
    return null;
  }
}
