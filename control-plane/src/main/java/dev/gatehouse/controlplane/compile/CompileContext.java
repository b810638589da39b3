package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.module.AmbassadorConfig;
import dev.gatehouse.config.module.Module;
import dev.gatehouse.config.ratelimit.RateLimitService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What every part of one compilation shares: the global settings and the problems found. */
final class CompileContext {
  private static final AmbassadorConfig DEFAULTS =
      new ResourceLoader()
          .addText(
              "apiVersion: getambassador.io/v3alpha1\nkind: Module\nmetadata: {name: ambassador}\n"
                  + "spec: {config: {}}\n",
              "<defaults>")
          .result()
          .ofKind(Kind.MODULE, Module.class)
          .get(0)
          .spec()
          .config();

  final AmbassadorConfig module;
  final Optional<Resource<AuthService>> auth;
  final Optional<Resource<RateLimitService>> rateLimit;
  final Map<String, Resource<TLSContext>> tlsContexts = new TreeMap<>();
  final ClusterDirectory directory;
  final ClusterCompiler clusters;
  final List<ConfigError> problems = new ArrayList<>();

  /** SDS names of the certificates the compiled listeners and clusters use. */
  final java.util.SortedSet<String> secretsUsed = new java.util.TreeSet<>();

  private List<ConfigError> recording;

  CompileContext(LoadResult resources, ClusterDirectory directory) {
    this.directory = directory;
    this.clusters = new ClusterCompiler(directory, secretsUsed);
    this.module =
        resources.ofKind(Kind.MODULE, Module.class).stream()
            .filter(m -> m.name().equals("ambassador"))
            .map(m -> m.spec().config())
            .findFirst()
            .orElse(DEFAULTS);
    this.auth = resources.ofKind(Kind.AUTH_SERVICE, AuthService.class).stream().findFirst();
    this.rateLimit =
        resources.ofKind(Kind.RATE_LIMIT_SERVICE, RateLimitService.class).stream().findFirst();
    for (Resource<TLSContext> context : resources.ofKind(Kind.TLS_CONTEXT, TLSContext.class)) {
      tlsContexts.putIfAbsent(context.name(), context);
    }
  }

  /** The domain of rate-limit descriptors: the RateLimitService's, else the Module's default. */
  String rateLimitDomain() {
    return rateLimit
        .map(r -> r.spec().domain())
        .filter(d -> d != null)
        .orElse(module.defaultLabelDomain());
  }

  void warn(Resource<?> resource, String path, String message) {
    add(ConfigError.warning(resource.sourceOf(path), resource.id(), message));
  }

  void error(Resource<?> resource, String path, String message) {
    add(ConfigError.error(resource.sourceOf(path), resource.id(), message));
  }

  /** Writes every problem reported from now on into {@code into} too; null stops. */
  void record(List<ConfigError> into) {
    this.recording = into;
  }

  /**
   * Once each: a Mapping compiled into several virtual hosts reports its problem once. Also how a
   * cached route reports again what it reported when it was compiled.
   */
  void add(ConfigError problem) {
    if (recording != null) {
      recording.add(problem);
    }
    if (!problems.contains(problem)) {
      problems.add(problem);
    }
  }
}
