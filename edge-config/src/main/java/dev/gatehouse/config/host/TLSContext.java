package dev.gatehouse.config.host;

import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;
import java.util.List;

/**
 * The spec of a {@code TLSContext}, the older way to terminate TLS for a list of hosts (or to
 * originate it, when a Mapping names it in {@code tls}).
 */
@SnakeCase
public record TLSContext(
    List<String> hosts,
    String secret,
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
    Boolean secretNamespacing,
    @Range(min = 1, max = 65535) Integer redirectCleartextFrom,
    String sni) {

  public TLSContext {
    checkVersions(minTlsVersion, maxTlsVersion);
    if (secret != null && certChainFile != null) {
      throw new FieldException(
          "cert_chain_file",
          "given together with secret (expected: one of secret or cert_chain_file)");
    }
    if ((certChainFile == null) != (privateKeyFile == null)) {
      throw new FieldException(
          certChainFile == null ? "cert_chain_file" : "private_key_file",
          "missing (expected: cert_chain_file and private_key_file together)");
    }
  }

  static void checkVersions(TlsVersion min, TlsVersion max) {
    if (min != null && max != null && max.compareTo(min) < 0) {
      throw new FieldException(
          "max_tls_version",
          "\""
              + dev.gatehouse.config.yaml.Binder.enumName(max)
              + "\" (expected: >= min_tls_version \""
              + dev.gatehouse.config.yaml.Binder.enumName(min)
              + "\")");
    }
  }

  /** The ALPN protocols, split from their comma-separated form. */
  public List<String> alpn() {
    return alpnProtocols == null
        ? List.of()
        : java.util.Arrays.stream(alpnProtocols.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
  }
}
