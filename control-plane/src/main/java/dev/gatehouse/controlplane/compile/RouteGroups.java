package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Mapping;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Mappings grouped by match ({@link RouteKey}), groups in Emissary's evaluation order, members
 * by {@code namespace/name}, kept from one compilation to the next: a new configuration only moves
 * the Mappings that are not the same objects as before. A group whose members change forgets its
 * compiled routes. A Mapping that names an unknown TLSContext is left out and reported.
 */
final class RouteGroups {
  /** The Mappings of one match, and the route compiled from them for each host name. */
  static final class Group {
    final RouteKey key;
    final List<Resource<Mapping>> members = new ArrayList<>();
    final Map<String, HostRoute> routes = new HashMap<>();

    Group(RouteKey key) {
      this.key = key;
    }
  }

  private static final Comparator<Resource<Mapping>> BY_NAME =
      Comparator.comparing(Resource::qualifiedName);

  /** Where a Mapping was placed, and the last update that saw it. */
  private static final class Placement {
    final Group group;
    long seen;

    Placement(Group group, long seen) {
      this.group = group;
      this.seen = seen;
    }
  }

  private final TreeMap<RouteKey, Group> byKey = new TreeMap<>(RouteKey.EVALUATION_ORDER);
  private final TreeMap<String, Resource<Mapping>> leftOut = new TreeMap<>();
  // Every Mapping placed, by identity (its group is null when it was left out).
  private final IdentityHashMap<Resource<Mapping>, Placement> placed = new IdentityHashMap<>();
  private long updates;

  void clear() {
    byKey.clear();
    leftOut.clear();
    placed.clear();
  }

  Collection<Group> inEvaluationOrder() {
    return byKey.values();
  }

  int size() {
    return byKey.size();
  }

  /**
   * Places the Mappings of a new configuration: those seen before stay where they are, the others
   * are removed or added. When more than half of them are new (a Kubernetes source builds new
   * objects on every change), everything is placed again from scratch, which is cheaper. Reports
   * the Mappings left out, in name order.
   */
  void update(List<Resource<Mapping>> mappings, CompileContext ctx) {
    long update = ++updates;
    List<Resource<Mapping>> added = new ArrayList<>();
    for (Resource<Mapping> mapping : mappings) {
      Placement placement = placed.get(mapping);
      if (placement != null) {
        placement.seen = update;
      } else {
        added.add(mapping);
      }
    }
    if (added.size() > mappings.size() / 2) {
      clear();
      added = new ArrayList<>(mappings);
    } else if (placed.size() + added.size() > mappings.size()) {
      for (var it = placed.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        if (entry.getValue().seen != update) {
          remove(entry.getKey(), entry.getValue().group);
          it.remove();
        }
      }
    }
    added.sort(BY_NAME);
    for (Resource<Mapping> mapping : added) {
      placed.put(mapping, new Placement(add(mapping, ctx), update));
    }
    for (Resource<Mapping> mapping : leftOut.values()) {
      ctx.error(
          mapping,
          "spec.tls",
          "\"" + mapping.spec().tls() + "\" (expected: the name of a TLSContext)");
    }
  }

  private Group add(Resource<Mapping> mapping, CompileContext ctx) {
    String tls = mapping.spec().tls();
    if (tls != null && !ctx.tlsContexts.containsKey(tls)) {
      leftOut.put(mapping.qualifiedName(), mapping);
      return null;
    }
    Group group = byKey.computeIfAbsent(RouteKey.of(mapping.spec()), Group::new);
    int at = java.util.Collections.binarySearch(group.members, mapping, BY_NAME);
    group.members.add(at < 0 ? -at - 1 : at, mapping);
    group.routes.clear();
    return group;
  }

  private void remove(Resource<Mapping> mapping, Group group) {
    if (group == null) {
      leftOut.remove(mapping.qualifiedName());
      return;
    }
    for (int i = 0; i < group.members.size(); i++) {
      if (group.members.get(i) == mapping) {
        group.members.remove(i);
        break;
      }
    }
    if (group.members.isEmpty()) {
      byKey.remove(group.key);
    } else {
      group.routes.clear();
    }
  }
}
