package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.Source;
import dev.gatehouse.config.ratelimit.RateLimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one {@link RateLimitConfig} from envoyproxy/ratelimit files and Edge Stack RateLimit
 * resources. A domain may be written in one envoyproxy file only (as that project requires); Edge
 * Stack resources of a domain add their limits to it, several limits on one descriptor included.
 */
public final class ConfigAssembler {
  private final Map<String, NodeDraft> domains = new LinkedHashMap<>();
  private final Map<String, List<String>> origins = new LinkedHashMap<>();
  private final Map<String, String> envoyFileOfDomain = new LinkedHashMap<>();
  private final List<ConfigError> problems = new ArrayList<>();

  /** Adds a file that loaded; a second file for the same domain is reported and skipped. */
  public ConfigAssembler add(EnvoyConfigLoader.FileResult file) {
    if (!file.ok()) {
      return this;
    }
    String earlier = envoyFileOfDomain.putIfAbsent(file.domain(), file.origin());
    if (earlier != null) {
      problems.add(
          ConfigError.error(
              Source.of(file.origin()),
              "domain " + file.domain(),
              "domain: \""
                  + file.domain()
                  + "\" (expected: each domain in one file; also in "
                  + earlier
                  + ")"));
      return this;
    }
    root(file.domain(), file.origin()).merge(file.tree().root);
    return this;
  }

  /** Adds an Edge Stack RateLimit resource. */
  public ConfigAssembler add(Resource<RateLimit> resource) {
    EdgeStackLimits.addTo(root(resource.spec().domain(), resource.id()), resource);
    return this;
  }

  /** Problems found while assembling (the files' own problems are in their results). */
  public List<ConfigError> problems() {
    return List.copyOf(problems);
  }

  public RateLimitConfig build(long version) {
    Map<String, DomainConfig> built = new LinkedHashMap<>();
    domains.forEach(
        (name, root) -> built.put(name, new DomainConfig(name, root.build(), origins.get(name))));
    return new RateLimitConfig(version, built);
  }

  private NodeDraft root(String domain, String origin) {
    origins.computeIfAbsent(domain, d -> new ArrayList<>()).add(origin);
    return domains.computeIfAbsent(domain, d -> new NodeDraft(""));
  }
}
