package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.FieldException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream address as Emissary writes it: {@code [http:// | https://]host[:port]}, where host
 * may be a Kubernetes {@code service.namespace} name, a DNS name or an IP (v6 in brackets). https
 * means TLS to the upstream; the port defaults to 80, or 443 with https.
 */
public record Service(String scheme, String host, int port) {
  private static final Pattern FORM =
      Pattern.compile(
          "(?:(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://)?(?<host>\\[[0-9a-fA-F:.]+\\]|[^:/\\[\\]\\s]+)(?::(?<port>\\d+))?/?");

  /** Parses {@code text}; the message names the value and the expected form. */
  public static Service parse(String text) {
    Matcher matcher = FORM.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" (expected: [http:// or https://]host[:port])");
    }
    String scheme =
        matcher.group("scheme") == null ? "http" : matcher.group("scheme").toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" (expected: scheme http:// or https://, not " + scheme + "://)");
    }
    int port = scheme.equals("https") ? 443 : 80;
    if (matcher.group("port") != null) {
      long parsed = matcher.group("port").length() > 5 ? -1 : Long.parseLong(matcher.group("port"));
      if (parsed < 1 || parsed > 65535) {
        throw new IllegalArgumentException(
            "\"" + text + "\" (expected: a port between 1 and 65535)");
      }
      port = (int) parsed;
    }
    return new Service(scheme, matcher.group("host"), port);
  }

  /** Parses a field's value, reporting problems against that field. */
  public static Service parse(String field, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new FieldException(field, e.getMessage());
    }
  }

  public boolean tls() {
    return scheme.equals("https");
  }
}
