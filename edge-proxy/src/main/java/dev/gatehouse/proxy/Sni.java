package dev.gatehouse.proxy;

import dev.gatehouse.proxy.xds.ListenerTranslator.Chain;
import dev.gatehouse.proxy.xds.ListenerTranslator.ListenerSpec;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Filter-chain selection by SNI, and the certificates of a TLS listener from its SDS secrets. */
final class Sni {
  private Sni() {}

  /**
   * The chain whose server names match: exact first, then the longest {@code *.suffix}, else the
   * first.
   */
  static int chainFor(ListenerSpec spec, String sni) {
    List<Chain> chains = spec.chains();
    for (int i = 0; i < chains.size(); i++) {
      if (chains.get(i).serverNames().contains(sni)) {
        return i;
      }
    }
    int best = -1;
    int bestLength = -1;
    for (int i = 0; i < chains.size(); i++) {
      for (String name : chains.get(i).serverNames()) {
        if (name.startsWith("*.")
            && sni.endsWith(name.substring(1))
            && name.length() > bestLength) {
          best = i;
          bestLength = name.length();
        }
      }
    }
    if (best >= 0) {
      return best;
    }
    for (int i = 0; i < chains.size(); i++) {
      if (chains.get(i).serverNames().isEmpty()) {
        return i;
      }
    }
    return 0;
  }

  /** Certificate PEM to key PEM for every TLS chain; null while a secret has not arrived. */
  static Map<String, String> certificates(ListenerSpec spec, Map<String, Secret> secrets) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Chain chain : spec.chains()) {
      if (chain.tls() == null) {
        continue;
      }
      Secret secret = secrets.get(chain.tls().secretName());
      if (secret == null) {
        return null;
      }
      var certificate = secret.getTlsCertificate();
      out.put(text(certificate.getCertificateChain()), text(certificate.getPrivateKey()));
    }
    return out;
  }

  private static String text(io.envoyproxy.envoy.config.core.v3.DataSource source) {
    return source.hasInlineString()
        ? source.getInlineString()
        : source.getInlineBytes().toString(StandardCharsets.UTF_8);
  }
}
