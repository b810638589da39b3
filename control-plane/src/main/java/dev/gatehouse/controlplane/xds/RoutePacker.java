package dev.gatehouse.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs route configurations into the {@link Any} that an RDS response carries without serializing
 * the routes that did not change. The result is byte for byte {@code Any.pack(config)}, since a
 * message's serialization is its fields in number order, a nested message being its tag, length and
 * bytes.
 *
 * <p>Per virtual host, the routes packed last time are kept with where each one's bytes lie in that
 * packing. The incremental compiler hands out the same objects for unchanged routes, so the routes
 * the new list shares with the old one at its start and at its end (compared by identity, without
 * touching the routes themselves) are copied as two ranges of the old bytes; only the routes
 * between, usually the one edited Mapping's, are looked up or serialized. With 10,000 routes this
 * takes an edit's packing from a pass over every route to two array copies.
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

  /**
   * A virtual host's routes as last packed: route {@code i}'s tag, length and bytes lie in {@code
   * bytes} from {@code base + (i == 0 ? 0 : ends[i - 1])} to {@code base + ends[i]}.
   */
  private record PackedRoutes(Route[] routes, byte[] bytes, int base, int[] ends) {
    int start(int i) {
      return base + (i == 0 ? 0 : ends[i - 1]);
    }

    int end(int i) {
      return base + ends[i];
    }
  }

  // Guarded by this: the routes of the last publication per route configuration and virtual host,
  // and the bytes of routes serialized lately, by identity (for routes that moved).
  private Map<String, PackedRoutes> lastRoutes = new HashMap<>();
  private IdentityHashMap<Route, ByteString> routeBytes = new IdentityHashMap<>();
  // The packed configurations of the last two publications (one may still be on its way out).
  private volatile Map<RouteConfiguration, Any> packed = Map.of();
  private volatile Map<RouteConfiguration, Any> before = Map.of();

  /** Packs the configurations of a new publication; call before publishing them. */
  synchronized void pack(List<RouteConfiguration> configs) {
    IdentityHashMap<RouteConfiguration, Any> next = new IdentityHashMap<>();
    Map<String, PackedRoutes> nextRoutes = new HashMap<>();
    int routes = 0;
    for (RouteConfiguration config : configs) {
      Any any = pack(config, nextRoutes);
      if (any != null) {
        next.put(config, any);
      }
      for (VirtualHost vhost : config.getVirtualHostsList()) {
        routes += vhost.getRoutesCount();
      }
    }
    if (routeBytes.size() > 2 * routes + 1024) {
      // Routes that moved are rare; forgetting them all only costs serializing them again.
      routeBytes = new IdentityHashMap<>();
    }
    lastRoutes = nextRoutes;
    before = packed;
    packed = next;
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

  /** How one virtual host is written: its fields before the routes, then its routes. */
  private static final class VirtualHostPlan {
    final String key;
    final byte[] header;
    final Route[] routes;
    final PackedRoutes previous;
    final int prefix;
    final int suffix;
    final ByteString[] middle;
    final int[] ends;

    VirtualHostPlan(String key, byte[] header, Route[] routes, PackedRoutes previous) {
      this.key = key;
      this.header = header;
      this.routes = routes;
      this.previous = previous;
      int shared = previous == null ? 0 : Math.min(routes.length, previous.routes().length);
      int p = 0;
      while (p < shared && routes[p] == previous.routes()[p]) {
        p++;
      }
      int s = 0;
      while (s < shared - p
          && routes[routes.length - 1 - s] == previous.routes()[previous.routes().length - 1 - s]) {
        s++;
      }
      this.prefix = p;
      this.suffix = s;
      this.middle = new ByteString[routes.length - p - s];
      this.ends = new int[routes.length];
    }

    int routesSize() {
      return ends.length == 0 ? 0 : ends[ends.length - 1];
    }

    int size() {
      return header.length + routesSize();
    }
  }

  private Any pack(RouteConfiguration config, Map<String, PackedRoutes> nextRoutes) {
    RouteConfiguration header = config.toBuilder().clearVirtualHosts().build();
    if (!onlyFieldsBefore(header, VIRTUAL_HOSTS)) {
      return null;
    }
    byte[] headerBytes = header.toByteArray();
    List<VirtualHostPlan> plans = new ArrayList<>(config.getVirtualHostsCount());
    int total = headerBytes.length;
    for (VirtualHost vhost : config.getVirtualHostsList()) {
      VirtualHostPlan plan;
      if (vhost.getRoutesCount() == 0) {
        plan = new VirtualHostPlan(null, vhost.toByteArray(), new Route[0], null);
      } else {
        VirtualHost vhostHeader = vhost.toBuilder().clearRoutes().build();
        if (!onlyFieldsBefore(vhostHeader, ROUTES)) {
          return null;
        }
        String key = config.getName() + "\n" + vhost.getName();
        plan =
            new VirtualHostPlan(
                key,
                vhostHeader.toByteArray(),
                vhost.getRoutesList().toArray(new Route[0]),
                lastRoutes.get(key));
        measure(plan);
      }
      plans.add(plan);
      total += CodedOutputStream.computeTagSize(VIRTUAL_HOSTS);
      total += CodedOutputStream.computeUInt32SizeNoTag(plan.size()) + plan.size();
    }

    byte[] out = new byte[total];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      stream.writeRawBytes(headerBytes);
      for (VirtualHostPlan plan : plans) {
        stream.writeTag(VIRTUAL_HOSTS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        stream.writeUInt32NoTag(plan.size());
        stream.writeRawBytes(plan.header);
        int base = stream.getTotalBytesWritten();
        write(plan, stream);
        if (plan.key != null) {
          nextRoutes.put(plan.key, new PackedRoutes(plan.routes, out, base, plan.ends));
        }
      }
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return Any.newBuilder()
        .setTypeUrl(TYPE_URL)
        .setValue(UnsafeByteOperations.unsafeWrap(out))
        .build();
  }

  /** Fills in where each route's bytes will end, serializing the routes between the kept ranges. */
  private void measure(VirtualHostPlan plan) {
    int at = 0;
    PackedRoutes previous = plan.previous;
    for (int i = 0; i < plan.prefix; i++) {
      at = previous.ends()[i];
      plan.ends[i] = at;
    }
    for (int i = plan.prefix; i < plan.routes.length - plan.suffix; i++) {
      Route route = plan.routes[i];
      ByteString bytes = routeBytes.get(route);
      if (bytes == null) {
        bytes = route.toByteString();
        routeBytes.put(route, bytes);
      }
      plan.middle[i - plan.prefix] = bytes;
      at += CodedOutputStream.computeTagSize(ROUTES);
      at += CodedOutputStream.computeUInt32SizeNoTag(bytes.size()) + bytes.size();
      plan.ends[i] = at;
    }
    int shift = previous == null ? 0 : previous.routes().length - plan.routes.length;
    for (int i = plan.routes.length - plan.suffix; i < plan.routes.length; i++) {
      at += previous.end(i + shift) - previous.start(i + shift);
      plan.ends[i] = at;
    }
  }

  private static void write(VirtualHostPlan plan, CodedOutputStream stream) throws IOException {
    PackedRoutes previous = plan.previous;
    if (plan.prefix > 0) {
      int from = previous.start(0);
      stream.writeRawBytes(previous.bytes(), from, previous.end(plan.prefix - 1) - from);
    }
    for (ByteString bytes : plan.middle) {
      stream.writeTag(ROUTES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      stream.writeUInt32NoTag(bytes.size());
      stream.writeRawBytes(bytes);
    }
    if (plan.suffix > 0) {
      int shift = previous.routes().length - plan.routes.length;
      int first = plan.routes.length - plan.suffix + shift;
      int from = previous.start(first);
      stream.writeRawBytes(
          previous.bytes(), from, previous.end(previous.routes().length - 1) - from);
    }
  }

  private static boolean onlyFieldsBefore(Message message, int fieldNumber) {
    for (FieldDescriptor field : message.getAllFields().keySet()) {
      if (field.getNumber() >= fieldNumber) {
        return false;
      }
    }
    return message.getUnknownFields().asMap().isEmpty();
  }
}
