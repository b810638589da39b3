package dev.gatehouse.proxy.routing;

import dev.gatehouse.config.traffic.HeaderFormat;
import dev.gatehouse.proxy.xds.XdsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A header value with Envoy's substitution commands, as Emissary users write them in {@code
 * add_request_headers}, parsed by edge-config's {@link HeaderFormat} (the same parser that refuses
 * a bad value when the Mapping loads): {@code %DOWNSTREAM_REMOTE_ADDRESS%}, {@code
 * %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%}, {@code %PROTOCOL%}, {@code %REQ(name)%}; {@code %%} is
 * a literal percent sign. Any other command is refused at configuration time (NACK).
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
    List<HeaderFormat.Part> parsed;
    try {
      parsed = HeaderFormat.parse(text);
    } catch (IllegalArgumentException e) {
      throw new XdsException(where + ": \"" + text + "\" (" + e.getMessage() + ")");
    }
    List<Function<Context, String>> parts = new ArrayList<>();
    for (HeaderFormat.Part part : parsed) {
      if (part instanceof HeaderFormat.Literal literal) {
        String piece = literal.text();
        parts.add(c -> piece);
      } else {
        parts.add(command((HeaderFormat.Command) part));
      }
    }
    return new HeaderTemplate(List.copyOf(parts), null);
  }

  private static Function<Context, String> command(HeaderFormat.Command command) {
    return switch (command.name()) {
      case "REQ" -> {
        String header = command.argument();
        yield c -> {
          String value = c.requestHeader(header);
          return value == null ? "" : value;
        };
      }
      case "DOWNSTREAM_REMOTE_ADDRESS" -> c -> c.remoteAddress() + ":" + c.remotePort();
      case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" -> Context::remoteAddress;
      case "PROTOCOL" -> Context::protocol;
      default -> throw new IllegalStateException("HeaderFormat.COMMANDS changed: " + command);
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
