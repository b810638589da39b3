package dev.gatehouse.controlplane.compile;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

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
