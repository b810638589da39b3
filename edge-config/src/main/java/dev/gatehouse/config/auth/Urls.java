package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.FieldException;
import java.net.URI;
import java.net.URISyntaxException;

/** Checks for URL-valued fields. */
final class Urls {
  private Urls() {}

  /** An absolute http or https URL with a host. */
  static URI requireHttp(String field, String value) {
    try {
      URI uri = new URI(value);
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new FieldException(
        field, "\"" + value + "\" (expected: an absolute http:// or https:// URL)");
  }
}
