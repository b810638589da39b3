package dev.gatehouse.controlplane.compile;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names and versions derived from content, never from list position: removing one Mapping must not
 * rename the routes and clusters of the others (Emissary's #4629), and the same content always gets
 * the same name on every replica.
 */
public final class Names {
  private Names() {}

  /** The first {@code hexChars} hex digits of the SHA-256 of a text. */
  public static String hash(String text, int hexChars) {
    return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, hexChars);
  }

  /** The SHA-256 of a message's deterministic serialization: equal content, equal version. */
  public static String hash(Iterable<? extends Message> messages) {
    MessageDigest digest = sha256();
    for (Message message : messages) {
      digest.update(deterministicBytes(message));
    }
    return hex(digest.digest()).substring(0, 16);
  }

  /**
   * The version of a list of route configurations: the SHA-256 over each configuration and virtual
   * host without its routes, and each route's own SHA-256 ({@link #digest}), every part prefixed by
   * its length. Equal content, equal version, as for {@link #hash(Iterable)}; but a compiler that
   * kept the digests of unchanged routes ({@code known}: per virtual host, by identity, in route
   * order) hashes only the new ones.
   */
  public static String routesVersion(
      List<RouteConfiguration> configs, Map<VirtualHost, List<byte[]>> known) {
    MessageDigest all = sha256();
    for (RouteConfiguration config : configs) {
      part(all, deterministicBytes(config.toBuilder().clearVirtualHosts().build()));
      part(all, Ints.bytes(config.getVirtualHostsCount()));
      for (VirtualHost vhost : config.getVirtualHostsList()) {
        part(all, deterministicBytes(vhost.toBuilder().clearRoutes().build()));
        part(all, Ints.bytes(vhost.getRoutesCount()));
        List<byte[]> digests = known.get(vhost);
        for (int i = 0; i < vhost.getRoutesCount(); i++) {
          part(all, digests != null ? digests.get(i) : digest(vhost.getRoutes(i)));
        }
      }
    }
    return hex(all.digest()).substring(0, 16);
  }

  /** The SHA-256 of one message's deterministic serialization. */
  public static byte[] digest(Message message) {
    return sha256().digest(deterministicBytes(message));
  }

  private static void part(MessageDigest digest, byte[] bytes) {
    digest.update(Ints.bytes(bytes.length));
    digest.update(bytes);
  }

  private static final class Ints {
    static byte[] bytes(int value) {
      return new byte[] {
        (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
      };
    }
  }

  /** A message's bytes with map entries sorted, so that equal messages serialize equally. */
  public static byte[] deterministicBytes(Message message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getSerializedSize());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      message.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory", e);
    }
  }

  /** A host name made safe for an Envoy name: lower case, dots and odd characters as '_'. */
  public static String slug(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return lower.length() > 40 ? lower.substring(0, 40) : lower;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
