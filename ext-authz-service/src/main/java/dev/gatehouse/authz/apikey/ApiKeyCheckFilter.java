package dev.gatehouse.authz.apikey;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The APIKey Filter: the request's {@code httpHeader} must hold one of the configured keys. Keys
 * are kept only as SHA-256 digests and compared with {@link MessageDigest#isEqual} over all of
 * them, so neither the time taken nor the logs tell anything about a key.
 */
public final class ApiKeyCheckFilter implements Filter {
  private static final Verdict MISSING = Verdict.Deny.of(401, "missing API key\n");
  private static final Verdict WRONG = Verdict.Deny.of(403, "invalid API key\n");

  private final String header;
  private final List<byte[]> digests;

  public ApiKeyCheckFilter(String header, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys: none (expected: at least one)");
    }
    this.header = header.toLowerCase(Locale.ROOT);
    this.digests = keys.stream().map(ApiKeyCheckFilter::digest).toList();
  }

  @Override
  public Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    String presented = request.header(header);
    if (presented == null || presented.isEmpty()) {
      return Future.succeededFuture(MISSING);
    }
    byte[] candidate = digest(presented.strip());
    boolean found = false;
    for (byte[] digest : digests) {
      // No early exit: every key is compared, whatever matches.
      found |= MessageDigest.isEqual(digest, candidate);
    }
    return Future.succeededFuture(found ? Verdict.ALLOW : WRONG);
  }

  // MessageDigest.getInstance looks the provider up reflectively: once per thread, not per check.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new AssertionError("every JVM has SHA-256", e);
            }
          });

  private static byte[] digest(String key) {
    return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    // Never the keys.
    return "APIKey(" + header + ", " + digests.size() + " keys)";
  }
}
