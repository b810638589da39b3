package dev.gatehouse.authz.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Map;

/** A JWT whose signature and claims passed: its raw text, header and claims. */
public record VerifiedToken(
    String raw, Map<String, Object> header, JWTClaimsSet claimsSet, Map<String, Object> claims) {

  /** The data that injectRequestHeaders templates see under {@code .token}. */
  public Map<String, Object> templateData() {
    return Map.of("Raw", raw, "Header", header, "Claims", claims);
  }
}
