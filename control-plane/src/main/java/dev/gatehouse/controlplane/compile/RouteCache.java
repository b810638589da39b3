package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.mapping.Mapping;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of the previous compilation, so that an edit recompiles only the routes whose Mappings
 * changed: thousands of unchanged Mappings cost a lookup each. An entry is reused only when its
 * Mappings are equal (spec, labels, source lines) and the global settings (Module, AuthService,
 * RateLimitService, TLSContexts) are equal too; otherwise everything is compiled afresh. Entries
 * not used by a compilation are dropped after it, so the cache never outgrows the configuration.
 *
 * <p>Not thread-safe: one compilation at a time (the watcher's thread).
 */
final class RouteCache {
  /** A route's inputs. */
  record Key(RouteKey key, List<Resource<Mapping>> members, String virtualHost) {}

  /** A route and what compiling it produced besides: its clusters and problems. */
  record Entry(Route route, List<ClusterSpec> clusters, List<ConfigError> problems) {}

  private Map<Key, Entry> previous = new HashMap<>();
  private Map<Key, Entry> current = new HashMap<>();
  private List<Object> globals = List.of();

  /** Starts a compilation with these global settings. */
  void begin(List<Object> globalSettings) {
    previous = globalSettings.equals(globals) ? current : new HashMap<>();
    current = new HashMap<>();
    globals = globalSettings;
  }

  Entry get(Key key) {
    Entry entry = previous.get(key);
    if (entry == null) {
      entry = current.get(key);
    }
    if (entry != null) {
      current.put(key, entry);
    }
    return entry;
  }

  void put(Key key, Entry entry) {
    current.put(key, entry);
  }
}
