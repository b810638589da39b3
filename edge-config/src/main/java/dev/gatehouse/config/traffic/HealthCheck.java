package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An active health check of a Mapping's upstream, HTTP or gRPC, with Emissary's defaults. */
@SnakeCase
public record HealthCheck(
    @Default("3s") Duration timeout,
    @Default("5s") Duration interval,
    @Default("2") @Range(min = 1) Integer unhealthyThreshold,
    @Default("1") @Range(min = 1) Integer healthyThreshold,
    @Required Specifier healthCheck) {

  /** Exactly one of {@code http} or {@code grpc}. */
  public record Specifier(Http http, Grpc grpc) {
    public Specifier {
      if ((http == null) == (grpc == null)) {
        throw new FieldException(
            "http",
            (http == null ? "neither http nor grpc given" : "both http and grpc given")
                + " (expected: exactly one of them)");
      }
    }
  }

  /**
   * An HTTP GET of {@code path} that must answer one of the expected statuses (default 200..399).
   */
  @SnakeCase
  public record Http(
      @Required String path,
      String hostname,
      Map<String, AddedHeader> addRequestHeaders,
      List<String> removeRequestHeaders,
      List<StatusRange> expectedStatuses) {
    public Http {
      if (!path.startsWith("/")) {
        throw new FieldException("path", "\"" + path + "\" (expected: a path starting with \"/\")");
      }
    }
  }

  /** A status range, both ends inclusive. */
  public record StatusRange(
      @Required @Range(min = 100, max = 599) Integer min,
      @Required @Range(min = 100, max = 599) Integer max) {
    public StatusRange {
      if (min != null && max != null && max < min) {
        throw new FieldException("max", max + " (expected: >= min " + min + ")");
      }
    }
  }

  /** The gRPC health-checking protocol. */
  @SnakeCase
  public record Grpc(String authority, @Required String upstreamName) {}

  public HealthCheck {
    OutlierDetection.positive("timeout", timeout);
    OutlierDetection.positive("interval", interval);
  }
}
