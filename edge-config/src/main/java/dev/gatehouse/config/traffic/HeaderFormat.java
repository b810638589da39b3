package dev.gatehouse.config.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The substitution commands that Gatehouse expands in added header values ({@code
 * add_request_headers}, {@code add_response_headers}), in Envoy's syntax: {@code
 * %DOWNSTREAM_REMOTE_ADDRESS%}, {@code %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%}, {@code
 * %PROTOCOL%}, {@code %REQ(name)%}, and {@code %%} for a literal percent sign. The resource model
 * refuses any other use of {@code %} when it loads a Mapping, naming its file and line, and
 * edge-proxy expands exactly these: one parser for both, so a value that loads is one the proxy can
 * serve. Envoy knows more commands ({@code %START_TIME%}, {@code %UPSTREAM_METADATA%}, ...); they
 * are refused here, also for Envoy data planes.
 */
public final class HeaderFormat {
  /** One piece of a parsed value: literal text, or a command with its argument (or null). */
  public sealed interface Part {}

  public record Literal(String text) implements Part {}

  public record Command(String name, String argument) implements Part {}

  public static final List<String> COMMANDS =
      List.of(
          "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "PROTOCOL", "REQ");

  private HeaderFormat() {}

  /**
   * The parts of {@code value}; an IllegalArgumentException says what was expected ("expected:
   * ..."), for the caller to show after the value.
   */
  public static List<Part> parse(String value) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int at = 0;
    while (at < value.length()) {
      int start = value.indexOf('%', at);
      if (start < 0) {
        literal.append(value, at, value.length());
        break;
      }
      literal.append(value, at, start);
      int end = value.indexOf('%', start + 1);
      if (end < 0) {
        throw new IllegalArgumentException(
            "expected: %% for a literal percent sign; the % at character "
                + (start + 1)
                + " has no closing %");
      }
      String command = value.substring(start + 1, end);
      at = end + 1;
      if (command.isEmpty()) {
        literal.append('%');
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      parts.add(command(command));
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return List.copyOf(parts);
  }

  private static Command command(String command) {
    // Envoy's %REQ(a?b)% (a fallback header) and %REQ(a):N% (truncation) are not implemented.
    if (command.startsWith("REQ(")
        && command.endsWith(")")
        && command.length() > 5
        && command.indexOf('?') < 0) {
      return new Command(
          "REQ", command.substring(4, command.length() - 1).toLowerCase(Locale.ROOT));
    }
    if (COMMANDS.contains(command) && !command.equals("REQ")) {
      return new Command(command, null);
    }
    throw new IllegalArgumentException(
        "expected: %DOWNSTREAM_REMOTE_ADDRESS%, %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%,"
            + " %PROTOCOL%, %REQ(header)% or %% for a literal percent sign; %"
            + command
            + "% is not supported");
  }
}
