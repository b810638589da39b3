package dev.gatehouse.proxy.routing;

import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header additions and removals from a route, virtual host or route configuration, compiled: values
 * with Envoy's {@code %...%} commands become small templates; removals happen before additions, as
 * in Envoy.
 */
public final class HeaderOps {
  public static final HeaderOps NONE = new HeaderOps(List.of(), List.of());

  private record Add(
      String name, HeaderTemplate value, HeaderValueOption.HeaderAppendAction action) {}

  private final List<Add> adds;
  private final List<String> removes;

  private HeaderOps(List<Add> adds, List<String> removes) {
    this.adds = adds;
    this.removes = removes;
  }

  public static HeaderOps compile(List<HeaderValueOption> add, List<String> remove, String where) {
    if (add.isEmpty() && remove.isEmpty()) {
      return NONE;
    }
    List<Add> adds = new ArrayList<>(add.size());
    for (HeaderValueOption option : add) {
      HeaderValueOption.HeaderAppendAction action = option.getAppendAction();
      if (option.hasAppend()) {
        // The deprecated bool: true appends, false overwrites.
        action =
            option.getAppend().getValue()
                ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
      }
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      adds.add(
          new Add(
              name,
              HeaderTemplate.compile(option.getHeader().getValue(), where + " header " + name),
              action));
    }
    return new HeaderOps(
        List.copyOf(adds), remove.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList());
  }

  public boolean isEmpty() {
    return adds.isEmpty() && removes.isEmpty();
  }

  /** Applies the removals, then the additions, to the headers. */
  public void apply(MultiMap headers, HeaderTemplate.Context context) {
    for (String name : removes) {
      headers.remove(name);
    }
    for (Add add : adds) {
      String value = add.value().render(context);
      switch (add.action()) {
        case APPEND_IF_EXISTS_OR_ADD -> headers.add(add.name(), value);
        case ADD_IF_ABSENT -> {
          if (!headers.contains(add.name())) {
            headers.add(add.name(), value);
          }
        }
        case OVERWRITE_IF_EXISTS_OR_ADD -> headers.set(add.name(), value);
        case OVERWRITE_IF_EXISTS -> {
          if (headers.contains(add.name())) {
            headers.set(add.name(), value);
          }
        }
        default -> throw new IllegalStateException("unknown append action " + add.action());
      }
    }
  }

  static XdsException unsupported(String where, String what) {
    return new XdsException(where + ": " + what + " is not supported by edge-proxy");
  }
}
