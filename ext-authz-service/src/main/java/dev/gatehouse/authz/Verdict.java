package dev.gatehouse.authz;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A filter's answer: allow with header mutations, or deny with the HTTP response to send. */
public sealed interface Verdict {

  /** Allow without changes. */
  Verdict ALLOW = new Allow(HeaderMutations.NONE);

  static Verdict allow(HeaderMutations mutations) {
    return mutations.isEmpty() ? ALLOW : new Allow(mutations);
  }

  /** The request goes on upstream with these mutations. */
  record Allow(HeaderMutations mutations) implements Verdict {
    public Allow {
      Objects.requireNonNull(mutations, "mutations");
    }
  }

  /**
   * The client gets this response instead. Headers are a list, not a map, because a denial may
   * carry several {@code Set-Cookie} headers.
   */
  record Deny(int status, List<Map.Entry<String, String>> headers, String body) implements Verdict {
    public Deny {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
      }
      headers = List.copyOf(headers);
      body = body == null ? "" : body;
    }

    /** A plain-text denial. */
    public static Deny of(int status, String body) {
      return new Deny(
          status, List.of(Map.entry("content-type", "text/plain; charset=utf-8")), body);
    }
  }
}
