package dev.gatehouse.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
