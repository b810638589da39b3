package dev.gatehouse.controlplane.replicas;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.distribution.Distribution;
import dev.gatehouse.config.distribution.PublishedDocument;
import dev.gatehouse.config.distribution.ServiceConfig;
import dev.gatehouse.controlplane.compile.Names;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles the configuration of each service from the loaded resources: the documents of the kinds
 * it reads, sorted by id, with a content-hash version. ext-authz reads Filters, FilterPolicies and
 * the AuthService; ratelimit-service reads RateLimits and the RateLimitService.
 */
public final class ServiceConfigs {
  static final Map<String, Set<Kind>> KINDS =
      Map.of(
          Distribution.EXT_AUTHZ, Set.of(Kind.FILTER, Kind.FILTER_POLICY, Kind.AUTH_SERVICE),
          Distribution.RATELIMIT, Set.of(Kind.RATE_LIMIT, Kind.RATE_LIMIT_SERVICE));

  private final DocumentTexts files;
  private final Function<Resource<?>, Optional<PublishedDocument>> texts;

  /** Service configs of resources loaded from files under a directory (or one file). */
  public ServiceConfigs(Path configRoot) {
    this.files = new DocumentTexts(configRoot);
    this.texts = files::of;
  }

  /** Service configs of resources whose texts come from elsewhere (the Kubernetes source). */
  public ServiceConfigs(Function<Resource<?>, Optional<PublishedDocument>> texts) {
    this.files = null;
    this.texts = texts;
  }

  /** The config of every service, by service name; publishedBy and time are left to the writer. */
  public Map<String, ServiceConfig> compile(LoadResult loaded) {
    if (files != null) {
      files.begin();
    }
    Map<String, ServiceConfig> out = new LinkedHashMap<>();
    for (String service : Distribution.SERVICES) {
      List<PublishedDocument> documents = new ArrayList<>();
      for (Resource<?> resource : loaded.resources()) {
        if (KINDS.get(service).contains(resource.kind())) {
          texts.apply(resource).ifPresent(documents::add);
        }
      }
      documents.sort(Comparator.comparing(PublishedDocument::id));
      out.put(service, new ServiceConfig(service, version(documents), documents, "", 0));
    }
    return out;
  }

  private static String version(List<PublishedDocument> documents) {
    StringBuilder all = new StringBuilder();
    for (PublishedDocument d : documents) {
      all.append(d.origin())
          .append('\0')
          .append(d.line())
          .append('\0')
          .append(d.yaml())
          .append('\0');
    }
    return Names.hash(all.toString(), 16);
  }
}
