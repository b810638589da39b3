package dev.gatehouse.config.host;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;

/**
 * The spec of a {@code Host}: a hostname (or DNS glob) that the edge serves, its TLS certificate,
 * what to do with cleartext requests, and which Mappings it takes.
 */
public record Host(
    @Default("*") String hostname,
    LabelSelector mappingSelector,
    LabelSelector selector,
    SecretReference tlsSecret,
    LocalReference tlsContext,
    TlsSettings tls,
    RequestPolicy requestPolicy,
    @Unsupported("certificates come from tlsSecret; ACME is not implemented") Object acmeProvider,
    @Unsupported("Service Preview is not part of Gatehouse") Object previewUrl) {

  public Host {
    if (hostname.isBlank()) {
      throw new FieldException(
          "hostname", "\"\" (expected: a host name or a DNS glob such as *.example.com)");
    }
    if (tls != null && tlsContext != null) {
      throw new FieldException(
          "tlsContext", "given together with tls (expected: one of tls or tlsContext)");
    }
  }

  /** The Mapping selector, with the deprecated {@code selector} as fallback. */
  public LabelSelector effectiveMappingSelector() {
    return mappingSelector != null ? mappingSelector : selector;
  }

  /** The insecure-request action, Redirect when not given. */
  public InsecureAction insecureAction() {
    return requestPolicy == null || requestPolicy.insecure() == null
        ? InsecureAction.REDIRECT
        : requestPolicy.insecure().action();
  }

  /** A Kubernetes Secret by name, in the Host's namespace unless given. */
  public record SecretReference(@Required String name, String namespace) {}

  /** A resource in the same namespace, by name. */
  public record LocalReference(@Required String name) {}

  /** {@code requestPolicy}. */
  public record RequestPolicy(Insecure insecure) {}

  /** What to do with cleartext requests for this Host. */
  public record Insecure(
      @Default("Redirect") InsecureAction action,
      @Range(min = -1, max = 65535) Integer additionalPort) {}

  /** Emissary's insecure actions. */
  public enum InsecureAction {
    @YamlName("Redirect")
    REDIRECT,
    @YamlName("Reject")
    REJECT,
    @YamlName("Route")
    ROUTE
  }

  /** Inline TLS settings, the same as a TLSContext's minus {@code hosts} and {@code secret}. */
  @SnakeCase
  public record TlsSettings(
      String certChainFile,
      String privateKeyFile,
      String caSecret,
      String cacertChainFile,
      String crlSecret,
      String alpnProtocols,
      Boolean certRequired,
      TlsVersion minTlsVersion,
      TlsVersion maxTlsVersion,
      List<String> cipherSuites,
      List<String> ecdhCurves,
      @Range(min = 1, max = 65535) Integer redirectCleartextFrom,
      String sni) {
    public TlsSettings {
      TLSContext.checkVersions(minTlsVersion, maxTlsVersion);
    }
  }
}
