package dev.gatehouse.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs route configurations into the {@link Any} that an RDS response carries without serializing
 * the routes that did not change: each {@link Route}'s bytes are kept (by identity; the incremental
 * compiler hands out the same objects for unchanged routes) and the configuration's bytes are put
 * together from them. The result is byte for byte {@code Any.pack(config)}, since a message's
 * serialization is its fields in number order, a nested message being its tag, length and bytes.
 * With 10,000 routes this takes the serialization of a megabyte off the xDS server's event loop.
 *
 * <p>A configuration or virtual host with fields after the routes (which the compiler never sets)
 * is packed by {@code Any.pack}. Thread-safe: {@link #pack} runs on the publishing thread, {@link
 * #serialize} on the xDS server's.
 */
final class RoutePacker implements ProtoResourcesSerializer {
  private static final String TYPE_URL =
      "type.googleapis.com/" + RouteConfiguration.getDescriptor().getFullName();
  private static final int VIRTUAL_HOSTS = RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER;
  private static final int ROUTES = VirtualHost.ROUTES_FIELD_NUMBER;

  // Guarded by this; the bytes of the routes packed lately, by identity.
  private IdentityHashMap<Route, ByteString> routeBytes = new IdentityHashMap<>();
  // The packed configurations of the last two publications (one may still be on its way out).
  private volatile Map<RouteConfiguration, Any> packed = Map.of();
  private volatile Map<RouteConfiguration, Any> before = Map.of();

  /** Packs the configurations of a new publication; call before publishing them. */
  synchronized void pack(List<RouteConfiguration> configs) {
    IdentityHashMap<RouteConfiguration, Any> next = new IdentityHashMap<>();
    for (RouteConfiguration config : configs) {
      Any any = pack(config);
      if (any != null) {
        next.put(config, any);
      }
    }
    int routes = configs.stream().mapToInt(c -> routeCount(c)).sum();
    if (routeBytes.size() > 2 * routes + 1024) {
      // Forget the routes no configuration uses any more (one lookup per route the rest of the
      // time, rather than a new map each publication).
      IdentityHashMap<Route, ByteString> live = new IdentityHashMap<>(routes);
      configs.forEach(
          c ->
              c.getVirtualHostsList()
                  .forEach(v -> v.getRoutesList().forEach(r -> live.put(r, routeBytes.get(r)))));
      routeBytes = live;
    }
    before = packed;
    packed = next;
  }

  private static int routeCount(RouteConfiguration config) {
    int count = 0;
    for (VirtualHost vhost : config.getVirtualHostsList()) {
      count += vhost.getRoutesCount();
    }
    return count;
  }

  @Override
  public Any serialize(Message message, Resources.ApiVersion apiVersion) {
    if (message instanceof RouteConfiguration config) {
      Any any = packed.get(config);
      if (any == null) {
        any = before.get(config);
      }
      if (any != null) {
        return any;
      }
    }
    return Any.pack(message);
  }

  private Any pack(RouteConfiguration config) {
    RouteConfiguration header = config.toBuilder().clearVirtualHosts().build();
    if (!onlyFieldsBefore(header, VIRTUAL_HOSTS)) {
      return null;
    }
    List<ByteString> parts = new ArrayList<>();
    parts.add(header.toByteString());
    for (VirtualHost vhost : config.getVirtualHostsList()) {
      ByteString vhostBytes;
      if (vhost.getRoutesCount() == 0) {
        vhostBytes = vhost.toByteString();
      } else {
        VirtualHost vhostHeader = vhost.toBuilder().clearRoutes().build();
        if (!onlyFieldsBefore(vhostHeader, ROUTES)) {
          return null;
        }
        List<ByteString> routes = new ArrayList<>(vhost.getRoutesCount() * 2 + 1);
        routes.add(vhostHeader.toByteString());
        for (Route route : vhost.getRoutesList()) {
          ByteString bytes = routeBytes.get(route);
          if (bytes == null) {
            bytes = route.toByteString();
            routeBytes.put(route, bytes);
          }
          routes.add(lengthDelimited(ROUTES, bytes.size()));
          routes.add(bytes);
        }
        vhostBytes = join(routes);
      }
      parts.add(lengthDelimited(VIRTUAL_HOSTS, vhostBytes.size()));
      parts.add(vhostBytes);
    }
    return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(join(parts)).build();
  }

  private static boolean onlyFieldsBefore(Message message, int fieldNumber) {
    for (FieldDescriptor field : message.getAllFields().keySet()) {
      if (field.getNumber() >= fieldNumber) {
        return false;
      }
    }
    return message.getUnknownFields().asMap().isEmpty();
  }

  /** The tag and length that precede a length-delimited field of {@code size} bytes. */
  private static ByteString lengthDelimited(int fieldNumber, int size) {
    byte[] out = new byte[CodedOutputStream.computeTagSize(fieldNumber) + 5];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      stream.writeTag(fieldNumber, 2);
      stream.writeUInt32NoTag(size);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return ByteString.copyFrom(out, 0, stream.getTotalBytesWritten());
  }

  /** One contiguous copy of the parts (a rope of thousands of small parts is slower to write). */
  private static ByteString join(List<ByteString> parts) {
    int size = 0;
    for (ByteString part : parts) {
      size += part.size();
    }
    byte[] out = new byte[size];
    int at = 0;
    for (ByteString part : parts) {
      part.copyTo(out, at);
      at += part.size();
    }
    return UnsafeByteOperations.unsafeWrap(out);
  }
}
