package dev.gatehouse.launcher;

import dev.gatehouse.config.yaml.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that several subcommands share, as picocli mixins: a subcommand lists the groups it
 * needs with {@code @Mixin}, so a flag is defined once and means the same everywhere. Defaults are
 * the ports and addresses of the architecture; any of them can come from the environment (see
 * {@link EnvironmentDefaults}).
 */
final class Options {
  private Options() {}

  /** Where getambassador.io resources come from, and which installation they are for. */
  static final class Resources {
    @Option(
        names = "--config-dir",
        paramLabel = "DIR",
        description = "Directory of getambassador.io YAML resources (or one file).")
    private Path configDir;

    @Option(
        names = "--ambassador-id",
        paramLabel = "ID",
        defaultValue = "default",
        description = "Serve only resources whose spec.ambassador_id includes this id.")
    private String ambassadorId;

    Optional<Path> configDir() {
      return Optional.ofNullable(configDir);
    }

    String ambassadorId() {
      return ambassadorId;
    }
  }

  /** The store of rate-limit counters. */
  static final class Redis {
    @Option(
        names = "--redis",
        paramLabel = "URL",
        converter = RedisUrlConverter.class,
        description =
            "Redis for global rate-limit counters (redis:// or rediss:// URL). Absent: counters"
                + " in memory, for a single instance.")
    private URI redis;

    Optional<URI> redis() {
      return Optional.ofNullable(redis);
    }
  }

  /** The edge proxy's listeners. */
  static final class EdgePorts {
    @Option(
        names = "--http-port",
        paramLabel = "PORT",
        defaultValue = "8080",
        converter = PortConverter.class,
        description = "Edge proxy HTTP listener.")
    private int httpPort;

    @Option(
        names = "--https-port",
        paramLabel = "PORT",
        defaultValue = "8443",
        converter = PortConverter.class,
        description = "Edge proxy HTTPS listener.")
    private int httpsPort;

    int httpPort() {
      return httpPort;
    }

    int httpsPort() {
      return httpsPort;
    }
  }

  /** The admin endpoints: diag, metrics, readiness and liveness. */
  static final class AdminPort {
    @Option(
        names = "--admin-port",
        paramLabel = "PORT",
        defaultValue = "8877",
        converter = PortConverter.class,
        description = "Admin endpoints: /ambassador/v0/diag/, /metrics, /ready, /live.")
    private int adminPort;

    int adminPort() {
      return adminPort;
    }
  }

  /** The rate limit service's gRPC listener. */
  static final class RateLimitPort {
    @Option(
        names = "--ratelimit-port",
        paramLabel = "PORT",
        defaultValue = "8081",
        converter = PortConverter.class,
        description = "Rate limit service gRPC listener (RLS v3).")
    private int rateLimitPort;

    int rateLimitPort() {
      return rateLimitPort;
    }
  }

  /** The ext_authz service's listeners. */
  static final class AuthzPorts {
    @Option(
        names = "--authz-grpc-port",
        paramLabel = "PORT",
        defaultValue = "9001",
        converter = PortConverter.class,
        description = "ext_authz gRPC listener (ext_authz v3).")
    private int grpcPort;

    @Option(
        names = "--authz-http-port",
        paramLabel = "PORT",
        defaultValue = "9002",
        converter = PortConverter.class,
        description = "ext_authz HTTP listener.")
    private int httpPort;

    int grpcPort() {
      return grpcPort;
    }

    int httpPort() {
      return httpPort;
    }
  }

  /** The Hazelcast members that hold ext-authz sessions and signing keys. */
  static final class SessionCluster {
    @Option(
        names = "--hazelcast-members",
        paramLabel = "HOST:PORT[,HOST:PORT...]",
        description =
            "Hazelcast members to join for OIDC sessions and signing keys (other ext-authz"
                + " replicas). Absent: an embedded member on its own, started with the first"
                + " OAuth2 Filter.")
    private String members;

    @Option(
        names = "--hazelcast-client",
        paramLabel = "HOST:PORT[,HOST:PORT...]",
        description =
            "Instead of a member of its own, join the control plane's Hazelcast cluster at these"
                + " addresses as a client; sessions and signing keys then live there.")
    private String client;

    java.util.List<String> members() {
      return split(members);
    }

    java.util.List<String> client() {
      return split(client);
    }

    static java.util.List<String> split(String list) {
      if (list == null || list.isBlank()) {
        return java.util.List.of();
      }
      return java.util.Arrays.stream(list.split(","))
          .map(String::strip)
          .filter(m -> !m.isEmpty())
          .toList();
    }
  }

  /** Services that take their configuration from the control plane instead of files. */
  static final class ControlPlaneSource {
    @Option(
        names = "--control-plane",
        paramLabel = "HOST:PORT[,HOST:PORT...]",
        description =
            "Take configuration (and, for ext-authz, sessions and cookie keys) from the control"
                + " plane's Hazelcast cluster at these addresses, as a client, instead of"
                + " --config-dir. The last configuration keeps serving while it is away.")
    private String addresses;

    java.util.List<String> addresses() {
      return SessionCluster.split(addresses);
    }
  }

  /** The control plane's listeners: xDS for proxies, Hazelcast for replicas and services. */
  static final class ControlPlanePorts {
    @Option(
        names = "--xds-port",
        paramLabel = "PORT",
        defaultValue = "18000",
        converter = PortConverter.class,
        description = "xDS (ADS) gRPC listener for edge proxies and Envoy.")
    private int xdsPort;

    @Option(
        names = "--hazelcast-port",
        paramLabel = "PORT",
        defaultValue = "5701",
        converter = PortConverter.class,
        description = "Hazelcast cluster port of the control plane.")
    private int hazelcastPort;

    int xdsPort() {
      return xdsPort;
    }

    int hazelcastPort() {
      return hazelcastPort;
    }
  }

  /** How the rate limit service counts, fails and answers; see ratelimit-service/README.md. */
  static final class RateLimitService {
    @Option(
        names = "--on-store-error",
        paramLabel = "MODE",
        defaultValue = "error",
        converter = LowerCaseChoice.class,
        description =
            "Answer when Redis fails or misses --store-timeout: error (gRPC UNAVAILABLE; Envoy"
                + " then fails open unless failure_mode_deny), allow (OK) or deny (OVER_LIMIT).")
    private String onStoreError;

    @Option(
        names = "--store-timeout",
        paramLabel = "DURATION",
        defaultValue = "15ms",
        converter = DurationConverter.class,
        description = "Budget for one store call, e.g. 15ms (under Envoy's 20 ms timeout).")
    private Duration storeTimeout;

    @Option(
        names = "--response-headers",
        defaultValue = "false",
        fallbackValue = "true",
        arity = "0..1",
        description =
            "Add RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset to every answer.")
    private boolean responseHeaders;

    @Option(
        names = "--local-cache-size",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Keys remembered as over their limit, answered without Redis; 0: off.")
    private int localCacheSize;

    @Option(
        names = "--redis-mode",
        paramLabel = "MODE",
        defaultValue = "standalone",
        converter = LowerCaseChoice.class,
        description = "standalone, sentinel (--redis names a sentinel) or cluster.")
    private String redisMode;

    @Option(
        names = "--redis-nodes",
        paramLabel = "URL,...",
        description = "More Redis endpoints, comma-separated: other sentinels or cluster nodes.")
    private String redisNodes;

    @Option(
        names = "--redis-sentinel-master",
        paramLabel = "NAME",
        description = "The master's name, with --redis-mode sentinel.")
    private String sentinelMaster;

    @Option(
        names = "--redis-key-prefix",
        paramLabel = "PREFIX",
        defaultValue = "",
        description = "Prepended to every Redis key (envoyproxy/ratelimit's CACHE_KEY_PREFIX).")
    private String keyPrefix;

    @Option(
        names = "--redis-pool-size",
        paramLabel = "N",
        defaultValue = "8",
        description = "Connections per Redis node; requests are pipelined on them.")
    private int poolSize;

    @Option(
        names = "--redis-insecure-tls",
        defaultValue = "false",
        fallbackValue = "true",
        arity = "0..1",
        description = "With rediss://, accept any server certificate.")
    private boolean insecureTls;

    @Option(
        names = "--ratelimit-tls-cert",
        paramLabel = "FILE",
        description = "PEM certificate chain: serve gRPC over TLS (h2) instead of h2c.")
    private Path tlsCert;

    @Option(
        names = "--ratelimit-tls-key",
        paramLabel = "FILE",
        description = "PEM private key of --ratelimit-tls-cert.")
    private Path tlsKey;

    String onStoreError() {
      return onStoreError;
    }

    Duration storeTimeout() {
      return storeTimeout;
    }

    boolean responseHeaders() {
      return responseHeaders;
    }

    int localCacheSize() {
      return localCacheSize;
    }

    String redisMode() {
      return redisMode;
    }

    /** The URLs of --redis-nodes; throws naming the option when one is not a Redis URL. */
    List<URI> redisNodes() {
      List<URI> nodes = new ArrayList<>();
      if (redisNodes != null) {
        for (String node : redisNodes.split(",")) {
          if (!node.isBlank()) {
            nodes.add(new RedisUrlConverter().convert(node));
          }
        }
      }
      return nodes;
    }

    Optional<String> sentinelMaster() {
      return Optional.ofNullable(sentinelMaster);
    }

    String keyPrefix() {
      return keyPrefix;
    }

    int poolSize() {
      return poolSize;
    }

    boolean insecureTls() {
      return insecureTls;
    }

    Optional<Path> tlsCert() {
      return Optional.ofNullable(tlsCert);
    }

    Optional<Path> tlsKey() {
      return Optional.ofNullable(tlsKey);
    }
  }

  /** Reads a word in any case, as lower case; the command checks it against its choices. */
  static final class LowerCaseChoice implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return value.trim().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Reads a duration such as {@code 15ms}, {@code 1.5s} or {@code 2m} (Go syntax), or ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        String text = value.trim();
        Duration duration =
            text.startsWith("P") || text.startsWith("p")
                ? Duration.parse(text)
                : GoDuration.parse(text);
        if (duration.isNegative() || duration.isZero()) {
          throw new TypeConversionException(value + " (expected: a duration > 0, e.g. 15ms)");
        }
        return duration;
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw new TypeConversionException(value + " (expected: a duration such as 15ms or 1s)");
      }
    }
  }

  /** How control-plane replicas find each other (Hazelcast on --hazelcast-port). */
  static final class ControlPlaneCluster {
    @Option(
        names = "--cluster-members",
        paramLabel = "HOST:PORT,...",
        description =
            "Control-plane replicas to join over TCP, comma-separated (docker compose). Absent:"
                + " this replica starts alone, unless --cluster-dns-service is given.")
    private String members;

    @Option(
        names = "--cluster-dns-service",
        paramLabel = "NAME",
        description =
            "Kubernetes headless Service whose DNS records list the replicas (Helm), e.g."
                + " gatehouse-hazelcast.gatehouse.svc.cluster.local.")
    private String dnsService;

    java.util.List<String> members() {
      return members == null
          ? java.util.List.of()
          : java.util.Arrays.stream(members.split(","))
              .map(String::strip)
              .filter(m -> !m.isEmpty())
              .toList();
    }

    Optional<String> dnsService() {
      return Optional.ofNullable(dnsService);
    }
  }

  /** Where in Kubernetes the control plane reads resources (with {@code --kubernetes}). */
  static final class Kubernetes {
    @Option(
        names = "--namespace",
        paramLabel = "NS",
        description = "With --kubernetes: watch this namespace only. Absent: every namespace.")
    private String namespace;

    @Option(
        names = "--ingress-class",
        paramLabel = "NAME",
        defaultValue = "ambassador",
        description =
            "With --kubernetes: serve Ingresses whose ingressClassName (or"
                + " kubernetes.io/ingress.class annotation) is this, or names an IngressClass"
                + " whose controller is getambassador.io/ingress-controller; Ingresses without"
                + " a class too when such a class is the cluster's default.")
    private String ingressClass;

    @Option(
        names = "--status-address",
        paramLabel = "ADDRESS",
        description =
            "With --kubernetes: the load balancer's IP or host name, written by the leader into"
                + " the status of served Ingresses. Absent: none is written.")
    private String statusAddress;

    Optional<String> namespace() {
      return Optional.ofNullable(namespace);
    }

    String ingressClass() {
      return ingressClass;
    }

    Optional<String> statusAddress() {
      return Optional.ofNullable(statusAddress);
    }
  }

  /** Reads a {@code redis://} or {@code rediss://} (TLS) URL with a host. */
  static final class RedisUrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI url = new URI(value.trim());
        if (("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme()))
            && url.getHost() != null) {
          return url;
        }
      } catch (URISyntaxException e) {
        // reported below, like any other URL that is not a Redis one
      }
      throw new TypeConversionException(
          value + " (expected: redis://HOST[:PORT] or rediss://HOST[:PORT])");
    }
  }

  /** Throws unless {@code port} is a TCP port; 0 asks the system for a free one. */
  static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    return port;
  }

  /** Reads a port number, 0..65535. */
  static final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return checkPort(Integer.parseInt(value.trim()));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("port: " + value + " (expected: 0..65535)");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
