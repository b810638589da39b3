package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.FieldException;

/** The Envoy API version of a gRPC service; only v3 exists in Envoy today. */
public enum ProtocolVersion {
  V2,
  V3;

  /** Rejects v2 with the reason, so a v2 config fails loudly instead of silently misbehaving. */
  public static void requireV3(ProtocolVersion version) {
    if (version == V2) {
      throw new FieldException(
          "protocol_version",
          "\"v2\" (expected: v3; Envoy removed the v2 API and Gatehouse serves only v3)");
    }
  }
}
