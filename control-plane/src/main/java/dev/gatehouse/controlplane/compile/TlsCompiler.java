package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.host.Host;
import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.host.TlsVersion;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import java.util.List;

/**
 * Compiles a Host's (or TLSContext's) certificate settings to a DownstreamTlsContext. Certificates
 * named by a Kubernetes Secret are referenced by SDS name ({@code name.namespace}) over ADS; their
 * content is not served yet. Certificates given as files are referenced by file name.
 */
final class TlsCompiler {
  private TlsCompiler() {}

  /** The SDS reference for a secret, fetched over the same ADS stream. */
  static SdsSecretConfig sds(String secretName) {
    return SdsSecretConfig.newBuilder()
        .setName(secretName)
        .setSdsConfig(
            ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3))
        .build();
  }

  /** {@code name.namespace}, the SDS name of a Kubernetes Secret (Emissary's form). */
  static String secretName(String name, String namespace) {
    return name.contains(".") ? name : name + "." + namespace;
  }

  /** The TLS context of a Host, or null when it terminates no TLS. */
  static DownstreamTlsContext forHost(Resource<Host> host, TLSContext context) {
    Host spec = host.spec();
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    boolean hasCertificate = false;
    if (spec.tlsSecret() != null) {
      String namespace =
          spec.tlsSecret().namespace() != null ? spec.tlsSecret().namespace() : host.namespace();
      common.addTlsCertificateSdsSecretConfigs(sds(secretName(spec.tlsSecret().name(), namespace)));
      hasCertificate = true;
    }
    if (context != null) {
      hasCertificate |= certificate(common, context, host.namespace());
      common.addAllAlpnProtocols(context.alpn());
      versions(common, context.minTlsVersion(), context.maxTlsVersion());
      ciphers(common, context.cipherSuites(), context.ecdhCurves());
    } else if (spec.tls() != null) {
      Host.TlsSettings tls = spec.tls();
      if (tls.alpnProtocols() != null) {
        common.addAllAlpnProtocols(split(tls.alpnProtocols()));
      }
      versions(common, tls.minTlsVersion(), tls.maxTlsVersion());
      ciphers(common, tls.cipherSuites(), tls.ecdhCurves());
      if (tls.certChainFile() != null && !hasCertificate) {
        common.addTlsCertificates(files(tls.certChainFile(), tls.privateKeyFile()));
        hasCertificate = true;
      }
    }
    return hasCertificate
        ? DownstreamTlsContext.newBuilder().setCommonTlsContext(common).build()
        : null;
  }

  /** The TLS context of a TLSContext used on its own (its {@code hosts}), or null. */
  static DownstreamTlsContext forContext(Resource<TLSContext> context) {
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    if (!certificate(common, context.spec(), context.namespace())) {
      return null;
    }
    common.addAllAlpnProtocols(context.spec().alpn());
    versions(common, context.spec().minTlsVersion(), context.spec().maxTlsVersion());
    ciphers(common, context.spec().cipherSuites(), context.spec().ecdhCurves());
    return DownstreamTlsContext.newBuilder().setCommonTlsContext(common).build();
  }

  private static boolean certificate(
      CommonTlsContext.Builder common, TLSContext context, String namespace) {
    if (context.secret() != null) {
      common.addTlsCertificateSdsSecretConfigs(sds(secretName(context.secret(), namespace)));
      return true;
    }
    if (context.certChainFile() != null) {
      common.addTlsCertificates(files(context.certChainFile(), context.privateKeyFile()));
      return true;
    }
    return false;
  }

  private static TlsCertificate files(String chain, String key) {
    return TlsCertificate.newBuilder()
        .setCertificateChain(DataSource.newBuilder().setFilename(chain))
        .setPrivateKey(DataSource.newBuilder().setFilename(key))
        .build();
  }

  static void versions(CommonTlsContext.Builder common, TlsVersion min, TlsVersion max) {
    if (min == null && max == null) {
      return;
    }
    TlsParameters.Builder params = common.getTlsParamsBuilder();
    if (min != null) {
      params.setTlsMinimumProtocolVersion(protocol(min));
    }
    if (max != null) {
      params.setTlsMaximumProtocolVersion(protocol(max));
    }
  }

  private static void ciphers(
      CommonTlsContext.Builder common, List<String> cipherSuites, List<String> curves) {
    if (!cipherSuites.isEmpty()) {
      common.getTlsParamsBuilder().addAllCipherSuites(cipherSuites);
    }
    if (!curves.isEmpty()) {
      common.getTlsParamsBuilder().addAllEcdhCurves(curves);
    }
  }

  private static TlsProtocol protocol(TlsVersion version) {
    return switch (version) {
      case V1_0 -> TlsProtocol.TLSv1_0;
      case V1_1 -> TlsProtocol.TLSv1_1;
      case V1_2 -> TlsProtocol.TLSv1_2;
      case V1_3 -> TlsProtocol.TLSv1_3;
    };
  }

  private static List<String> split(String commaSeparated) {
    return java.util.Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
