package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.LoadResult;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles loaded resources to Envoy xDS: listeners, route configurations (over RDS) and clusters.
 * Pure and deterministic: the same resources give byte-identical output, whatever their order.
 * Stateless, so one instance may compile on several threads; {@link IncrementalCompiler} is the
 * same compilation keeping what it can from one configuration to the next.
 */
public final class Compiler {
  /** The RDS names of the two route configurations. */
  public static final String HTTP_ROUTES = "routes-http";

  public static final String HTTPS_ROUTES = "routes-https";

  private final CompilerOptions options;

  public Compiler(CompilerOptions options) {
    this.options = options;
  }

  public Compiler() {
    this(CompilerOptions.DEFAULTS);
  }

  public CompiledConfig compile(LoadResult resources) {
    return compile(resources, ClusterDirectory.NONE);
  }

  /**
   * Compiles with what Kubernetes knows: upstreams that name a Service become EDS clusters with its
   * ready endpoints, and the TLS Secrets that hosts use are served over SDS.
   */
  public CompiledConfig compile(LoadResult resources, ClusterDirectory directory) {
    return new IncrementalCompiler(options).compile(resources, directory);
  }

  /** The certificates in use that Kubernetes has, as SDS secrets with inline PEM. */
  static List<Secret> secrets(CompileContext ctx) {
    List<Secret> out = new ArrayList<>();
    for (String name : ctx.secretsUsed) {
      ClusterDirectory.TlsSecret secret = ctx.directory.secrets().get(name);
      if (secret != null) {
        out.add(
            Secret.newBuilder()
                .setName(name)
                .setTlsCertificate(
                    TlsCertificate.newBuilder()
                        .setCertificateChain(
                            DataSource.newBuilder().setInlineString(secret.certificateChain()))
                        .setPrivateKey(
                            DataSource.newBuilder().setInlineString(secret.privateKey())))
                .build());
      }
    }
    return out;
  }
}
