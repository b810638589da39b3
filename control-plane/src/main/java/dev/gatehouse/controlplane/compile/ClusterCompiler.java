package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.traffic.AddedHeader;
import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.HealthCheck;
import dev.gatehouse.config.traffic.OutlierDetection;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DnsLookupFamily;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compiles upstreams to Envoy clusters: one per distinct {@link ClusterSpec}, endpoints from the
 * DNS name (STRICT_DNS, or STATIC for an IP literal) inlined as the load assignment, or, for a
 * Kubernetes Service, an EDS cluster whose load assignment (the ready endpoints) is served apart,
 * so that endpoint changes send EDS only.
 */
final class ClusterCompiler {
  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  static final String TLS_TRANSPORT = "envoy.transport_sockets.tls";
  private static final Pattern IP_LITERAL =
      Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]");

  // By name; sorted once at the end (a route kept from the last compilation looks its cluster up).
  private final Map<String, Cluster> clusters = new HashMap<>();
  // Equal specs are common (many Mappings, one upstream): name and compile each once.
  private final Map<ClusterSpec, String> names = new HashMap<>();
  private final SortedMap<String, ClusterLoadAssignment> assignments = new TreeMap<>();
  private final ClusterDirectory directory;
  private final java.util.Set<String> secretsUsed;

  ClusterCompiler(ClusterDirectory directory, java.util.Set<String> secretsUsed) {
    this.directory = directory;
    this.secretsUsed = secretsUsed;
  }

  /** A cluster a route uses: its spec and the name {@link #clusterFor} gave it. */
  record Use(ClusterSpec spec, String name) {}

  // Where the uses are written down while a route compiles, so that a cached route can replay them.
  private List<Use> recording;

  /** The name of the cluster for a spec, compiling it the first time it is seen. */
  String clusterFor(ClusterSpec spec) {
    String name =
        names.computeIfAbsent(
            spec,
            s -> {
              String named = s.name();
              use(s, named);
              return named;
            });
    if (recording != null) {
      recording.add(new Use(spec, name));
    }
    return name;
  }

  /** Writes every use down into {@code into} from now on; null stops. */
  void record(List<Use> into) {
    this.recording = into;
  }

  /** Uses a cluster again as {@link #clusterFor} did, without naming the spec again. */
  void reuse(Use use) {
    use(use.spec(), use.name());
  }

  private void use(ClusterSpec spec, String name) {
    // A name is derived from its spec's content, so a cluster already compiled under this name
    // has its load assignment too: a kept route's replay (one per route) stops at this lookup.
    if (clusters.containsKey(name)) {
      return;
    }
    clusters.put(name, compile(name, spec));
    if (spec.eds() != null) {
      assignments.put(name, assignment(name, spec.eds()));
    }
  }

  /** Every cluster, in name order. */
  List<Cluster> clusters() {
    return List.copyOf(new TreeMap<>(clusters).values());
  }

  /** The load assignment of every EDS cluster, in name order. */
  List<ClusterLoadAssignment> assignments() {
    return List.copyOf(assignments.values());
  }

  /**
   * The ready endpoints of a Service port; none when they are unknown (the cluster answers 503).
   */
  private ClusterLoadAssignment assignment(String name, String target) {
    int colon = target.lastIndexOf(':');
    ClusterLoadAssignment.Builder out = ClusterLoadAssignment.newBuilder().setClusterName(name);
    directory
        .resolve(
            target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)), true, "")
        .filter(t -> !t.port().endpoints().isEmpty())
        .ifPresent(
            t -> {
              LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
              for (ClusterDirectory.Address address : t.port().endpoints()) {
                locality.addLbEndpoints(
                    LbEndpoint.newBuilder()
                        .setEndpoint(
                            Endpoint.newBuilder()
                                .setAddress(socket(address.ip(), address.port()))));
              }
              out.addEndpoints(locality);
            });
    return out.build();
  }

  private Cluster compile(String name, ClusterSpec spec) {
    if (spec.eds() != null) {
      Cluster.Builder cluster =
          Cluster.newBuilder()
              .setName(name)
              .setType(DiscoveryType.EDS)
              .setEdsClusterConfig(
                  Cluster.EdsClusterConfig.newBuilder()
                      .setEdsConfig(
                          io.envoyproxy.envoy.config.core.v3.ConfigSource.newBuilder()
                              .setAds(
                                  io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource
                                      .getDefaultInstance())
                              .setResourceApiVersion(
                                  io.envoyproxy.envoy.config.core.v3.ApiVersion.V3)));
      return settings(cluster, spec);
    }
    boolean literal = IP_LITERAL.matcher(spec.host()).matches();
    String address = literal ? spec.host().replace("[", "").replace("]", "") : spec.host();
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setType(literal ? DiscoveryType.STATIC : DiscoveryType.STRICT_DNS)
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        Endpoint.newBuilder()
                                            .setAddress(socket(address, spec.port()))))));
    if (!literal) {
      cluster.setDnsLookupFamily(DnsLookupFamily.V4_ONLY);
    }
    return settings(cluster, spec);
  }

  /** What every cluster type shares: timeouts, balancing, breakers, health, protocol, TLS. */
  private Cluster settings(Cluster.Builder cluster, ClusterSpec spec) {
    cluster
        .setConnectTimeout(Protos.millis(spec.connectTimeoutMs()))
        .setLbPolicy(LbPolicy.valueOf(spec.policy().name()));
    if (!spec.circuitBreakers().isEmpty()) {
      cluster.setCircuitBreakers(circuitBreakers(spec.circuitBreakers()));
    }
    if (spec.outlierDetection() != null) {
      cluster.setOutlierDetection(outlierDetection(spec.outlierDetection()));
    }
    for (HealthCheck check : spec.healthChecks()) {
      cluster.addHealthChecks(healthCheck(check));
    }
    if (spec.outlierDetection() != null || !spec.healthChecks().isEmpty()) {
      // No panic mode: when no endpoint is healthy the answer is 503 "no healthy upstream",
      // rather than Envoy's default of spreading requests over endpoints known to be failing.
      cluster.setCommonLbConfig(
          Cluster.CommonLbConfig.newBuilder()
              .setHealthyPanicThreshold(
                  io.envoyproxy.envoy.type.v3.Percent.newBuilder().setValue(0)));
    }
    cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Protos.any(protocol(spec)));
    if (spec.tls() || spec.originate() != null) {
      cluster.setTransportSocket(
          TransportSocket.newBuilder()
              .setName(TLS_TRANSPORT)
              .setTypedConfig(Protos.any(upstreamTls(spec))));
    }
    return cluster.build();
  }

  static Address socket(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  /** HTTP/2 for gRPC, HTTP/1.1 otherwise; connection idle and lifetime limits. */
  private static HttpProtocolOptions protocol(ClusterSpec spec) {
    ExplicitHttpConfig.Builder explicit = ExplicitHttpConfig.newBuilder();
    if (spec.http2()) {
      explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
    } else {
      explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
    }
    HttpProtocolOptions.Builder options =
        HttpProtocolOptions.newBuilder().setExplicitHttpConfig(explicit);
    if (spec.idleTimeoutMs() != null || spec.maxConnectionLifetimeMs() != null) {
      io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.Builder common =
          io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder();
      if (spec.idleTimeoutMs() != null) {
        common.setIdleTimeout(Protos.millis(spec.idleTimeoutMs()));
      }
      if (spec.maxConnectionLifetimeMs() != null) {
        common.setMaxConnectionDuration(Protos.millis(spec.maxConnectionLifetimeMs()));
      }
      options.setCommonHttpProtocolOptions(common);
    }
    return options.build();
  }

  private UpstreamTlsContext upstreamTls(ClusterSpec spec) {
    TLSContext context = spec.originate();
    UpstreamTlsContext.Builder tls = UpstreamTlsContext.newBuilder().setSni(spec.host());
    if (context == null) {
      return tls.build();
    }
    if (context.sni() != null) {
      tls.setSni(context.sni());
    }
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    if (context.certChainFile() != null) {
      common.addTlsCertificates(
          TlsCertificate.newBuilder()
              .setCertificateChain(DataSource.newBuilder().setFilename(context.certChainFile()))
              .setPrivateKey(DataSource.newBuilder().setFilename(context.privateKeyFile())));
    } else if (context.secret() != null) {
      common.addTlsCertificateSdsSecretConfigs(TlsCompiler.sds(context.secret()));
      secretsUsed.add(context.secret());
    }
    common.addAllAlpnProtocols(context.alpn());
    TlsCompiler.versions(common, context.minTlsVersion(), context.maxTlsVersion());
    return tls.setCommonTlsContext(common).build();
  }

  private static CircuitBreakers circuitBreakers(List<CircuitBreaker> breakers) {
    CircuitBreakers.Builder out = CircuitBreakers.newBuilder();
    for (CircuitBreaker breaker : breakers) {
      out.addThresholds(
          CircuitBreakers.Thresholds.newBuilder()
              .setPriority(RoutingPriority.valueOf(breaker.priority().name()))
              .setMaxConnections(Protos.uint32(breaker.maxConnections()))
              .setMaxPendingRequests(Protos.uint32(breaker.maxPendingRequests()))
              .setMaxRequests(Protos.uint32(breaker.maxRequests()))
              .setMaxRetries(Protos.uint32(breaker.maxRetries())));
    }
    return out.build();
  }

  private static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection outlierDetection(
      OutlierDetection detection) {
    var out =
        io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
            .setInterval(Protos.duration(detection.interval()))
            .setConsecutive5Xx(Protos.uint32(detection.consecutive5xx()))
            .setBaseEjectionTime(Protos.duration(detection.baseEjectionTime()))
            .setMaxEjectionTime(Protos.duration(detection.maxEjectionTime()))
            .setMaxEjectionPercent(Protos.uint32(detection.maxEjectionPercent()));
    if (detection.consecutiveGatewayFailure() != null) {
      // Envoy enforces gateway-failure ejection at 0% unless told otherwise.
      out.setConsecutiveGatewayFailure(Protos.uint32(detection.consecutiveGatewayFailure()))
          .setEnforcingConsecutiveGatewayFailure(Protos.uint32(100));
    }
    return out.build();
  }

  private static io.envoyproxy.envoy.config.core.v3.HealthCheck healthCheck(HealthCheck check) {
    var out =
        io.envoyproxy.envoy.config.core.v3.HealthCheck.newBuilder()
            .setTimeout(Protos.duration(check.timeout()))
            .setInterval(Protos.duration(check.interval()))
            .setUnhealthyThreshold(Protos.uint32(check.unhealthyThreshold()))
            .setHealthyThreshold(Protos.uint32(check.healthyThreshold()));
    HealthCheck.Http http = check.healthCheck().http();
    if (http != null) {
      var httpCheck =
          io.envoyproxy.envoy.config.core.v3.HealthCheck.HttpHealthCheck.newBuilder()
              .setPath(http.path())
              .addAllRequestHeadersToAdd(Protos.headersToAdd(orEmpty(http.addRequestHeaders())))
              .addAllRequestHeadersToRemove(http.removeRequestHeaders());
      if (http.hostname() != null) {
        httpCheck.setHost(http.hostname());
      }
      for (HealthCheck.StatusRange range : http.expectedStatuses()) {
        // Envoy's range end is exclusive; Emissary's max is inclusive.
        httpCheck.addExpectedStatuses(
            Int64Range.newBuilder().setStart(range.min()).setEnd(range.max() + 1L));
      }
      out.setHttpHealthCheck(httpCheck);
    } else {
      HealthCheck.Grpc grpc = check.healthCheck().grpc();
      var grpcCheck =
          io.envoyproxy.envoy.config.core.v3.HealthCheck.GrpcHealthCheck.newBuilder()
              .setServiceName(grpc.upstreamName());
      if (grpc.authority() != null) {
        grpcCheck.setAuthority(grpc.authority());
      }
      out.setGrpcHealthCheck(grpcCheck);
    }
    return out.build();
  }

  private static Map<String, AddedHeader> orEmpty(Map<String, AddedHeader> headers) {
    return headers == null ? Map.of() : headers;
  }
}
