package dev.gatehouse.proxy.routing;

import dev.gatehouse.proxy.xds.XdsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A header value with Envoy's substitution commands, as Emissary users write them in {@code
 * add_request_headers}: {@code %DOWNSTREAM_REMOTE_ADDRESS%}, {@code
 * %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%}, {@code %PROTOCOL%}, {@code %REQ(name)%}, {@code
 * %UPSTREAM_REMOTE_ADDRESS%} is not known before the upstream is picked and is refused; {@code %%}
 * is a literal percent sign. Any other command is refused at configuration time.
 */
public final class HeaderTemplate {
  /** What a template can read from the request being proxied. */
  public interface Context {
    String remoteAddress();

    int remotePort();

    String protocol();

    String requestHeader(String name);
  }

  private final List<Function<Context, String>> parts;
  private final String literal;

  private HeaderTemplate(List<Function<Context, String>> parts, String literal) {
    this.parts = parts;
    this.literal = literal;
  }

  public static HeaderTemplate compile(String text, String where) {
    if (text.indexOf('%') < 0) {
      return new HeaderTemplate(List.of(), text);
    }
    List<Function<Context, String>> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int start = text.indexOf('%', at);
      if (start < 0) {
        String tail = text.substring(at);
        parts.add(c -> tail);
        break;
      }
      if (start > at) {
        String piece = text.substring(at, start);
        parts.add(c -> piece);
      }
      int end = text.indexOf('%', start + 1);
      if (end < 0) {
        throw new XdsException(where + ": unterminated %command in \"" + text + "\"");
      }
      parts.add(command(text.substring(start + 1, end), where));
      at = end + 1;
    }
    return new HeaderTemplate(List.copyOf(parts), null);
  }

  private static Function<Context, String> command(String command, String where) {
    if (command.isEmpty()) {
      return c -> "%";
    }
    if (command.startsWith("REQ(") && command.endsWith(")")) {
      String header = command.substring(4, command.length() - 1).toLowerCase(java.util.Locale.ROOT);
      return c -> {
        String value = c.requestHeader(header);
        return value == null ? "" : value;
      };
    }
    return switch (command) {
      case "DOWNSTREAM_REMOTE_ADDRESS" -> c -> c.remoteAddress() + ":" + c.remotePort();
      case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" -> Context::remoteAddress;
      case "PROTOCOL" -> Context::protocol;
      default ->
          throw new XdsException(where + ": %" + command + "% is not supported by edge-proxy");
    };
  }

  public String render(Context context) {
    if (literal != null) {
      return literal;
    }
    StringBuilder out = new StringBuilder();
    for (Function<Context, String> part : parts) {
      out.append(part.apply(context));
    }
    return out.toString();
  }
}
