package dev.gatehouse.controlplane.compile;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * Renders xDS as Envoy's canonical JSON (proto field names, {@code @type} for every Any), for the
 * diag page and golden files. The registry lists every type the compiler packs into an Any.
 */
public final class XdsJson {
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(
              List.of(
                  HttpConnectionManager.getDescriptor(),
                  Router.getDescriptor(),
                  Cors.getDescriptor(),
                  CorsPolicy.getDescriptor(),
                  ExtAuthz.getDescriptor(),
                  ExtAuthzPerRoute.getDescriptor(),
                  RateLimit.getDescriptor(),
                  TlsInspector.getDescriptor(),
                  DownstreamTlsContext.getDescriptor(),
                  UpstreamTlsContext.getDescriptor(),
                  HttpProtocolOptions.getDescriptor()))
          .build();

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(TYPES).preservingProtoFieldNames();

  private XdsJson() {}

  /** One message as pretty JSON. */
  public static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an Any of a type missing from XdsJson's registry", e);
    }
  }

  /** The whole configuration: {@code {"listeners": [...], "routes": [...], "clusters": [...]}}. */
  public static String print(CompiledConfig config) {
    StringBuilder out = new StringBuilder("{\n");
    section(out, "listeners", config.listeners());
    out.append(",\n");
    section(out, "routes", config.routes());
    out.append(",\n");
    section(out, "clusters", config.clusters());
    return out.append("\n}\n").toString();
  }

  private static void section(StringBuilder out, String name, List<? extends Message> messages) {
    out.append("  \"").append(name).append("\": [");
    for (int i = 0; i < messages.size(); i++) {
      out.append(i == 0 ? "\n" : ",\n");
      out.append(indent(print(messages.get(i)), "    "));
    }
    out.append(messages.isEmpty() ? "]" : "\n  ]");
  }

  private static String indent(String text, String prefix) {
    return prefix + text.replace("\n", "\n" + prefix);
  }
}
