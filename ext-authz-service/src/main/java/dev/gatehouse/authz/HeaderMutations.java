package dev.gatehouse.authz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an allowing verdict changes: request headers to set (overwriting what the client sent, so an
 * injected identity header can never be spoofed), request headers to remove, and response headers
 * to add. Mutations of several filters add up with {@link #then}.
 */
public record HeaderMutations(
    Map<String, String> set, Set<String> remove, List<Map.Entry<String, String>> responseHeaders) {

  public static final HeaderMutations NONE = new HeaderMutations(Map.of(), Set.of(), List.of());

  public HeaderMutations {
    set = Map.copyOf(set);
    remove = Set.copyOf(remove);
    responseHeaders = List.copyOf(responseHeaders);
  }

  /** Sets one request header. */
  public static HeaderMutations setting(String name, String value) {
    return new HeaderMutations(Map.of(name.toLowerCase(Locale.ROOT), value), Set.of(), List.of());
  }

  public boolean isEmpty() {
    return set.isEmpty() && remove.isEmpty() && responseHeaders.isEmpty();
  }

  /** These mutations followed by {@code later}: a later set or remove of a header wins. */
  public HeaderMutations then(HeaderMutations later) {
    if (isEmpty()) {
      return later;
    }
    if (later.isEmpty()) {
      return this;
    }
    Map<String, String> sets = new LinkedHashMap<>(set);
    Set<String> removes = new LinkedHashSet<>(remove);
    for (String name : later.remove) {
      sets.remove(name);
      removes.add(name);
    }
    later.set.forEach(
        (name, value) -> {
          removes.remove(name);
          sets.put(name, value);
        });
    List<Map.Entry<String, String>> response = new ArrayList<>(responseHeaders);
    response.addAll(later.responseHeaders);
    return new HeaderMutations(sets, removes, response);
  }

  /** The request headers after these mutations, for the filters that run next. */
  public Map<String, String> applyTo(Map<String, String> headers) {
    if (set.isEmpty() && remove.isEmpty()) {
      return headers;
    }
    Map<String, String> out = new LinkedHashMap<>(headers);
    remove.forEach(out::remove);
    out.putAll(set);
    return out;
  }
}
