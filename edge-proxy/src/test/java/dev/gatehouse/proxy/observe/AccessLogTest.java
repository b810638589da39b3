package dev.gatehouse.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void formatsLikeEnvoysDefaultAccessLog() {
    AccessLog.Entry entry =
        new AccessLog.Entry(
            1_800_000_000_123L,
            "GET",
            "/backend/x?y=1",
            "HTTP/1.1",
            503,
            "UH",
            0,
            19,
            7,
            "203.0.113.9",
            "curl/8.0",
            "abc-123",
            "example.com",
            null);

    assertThat(AccessLog.format(entry))
        .isEqualTo(
            "[2027-01-15T08:00:00.123Z] \"GET /backend/x?y=1 HTTP/1.1\" 503 UH 0 19 7 - \"203.0.113.9\" \"curl/8.0\" \"abc-123\" \"example.com\" \"-\"");
  }
}
