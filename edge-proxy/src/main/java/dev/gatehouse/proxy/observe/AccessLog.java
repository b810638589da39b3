package dev.gatehouse.proxy.observe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request in Envoy's default access-log format, to the {@code gatehouse.access}
 * logger:
 *
 * <pre>
 * [START_TIME] "METHOD PATH PROTOCOL" STATUS FLAGS BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_TIME
 * "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"
 * </pre>
 *
 * Response flags are Envoy's: NR no route, UH no healthy upstream, UF connection failure, UT
 * timeout, UO overflow, URX retries exhausted, RL rate limited, UAEX denied by ext_authz, DC the
 * client went away, {@code -} none.
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.access");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AccessLog() {}

  /** What one line says. */
  public record Entry(
      long startMillis,
      String method,
      String path,
      String protocol,
      int status,
      String flags,
      long bytesReceived,
      long bytesSent,
      long durationMillis,
      String forwardedFor,
      String userAgent,
      String requestId,
      String authority,
      String upstreamHost) {}

  public static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  public static void write(Entry e) {
    LOG.info(format(e));
  }

  public static String format(Entry e) {
    return "["
        + TIME.format(Instant.ofEpochMilli(e.startMillis()))
        + "] \""
        + e.method()
        + " "
        + e.path()
        + " "
        + e.protocol()
        + "\" "
        + e.status()
        + " "
        + (e.flags() == null || e.flags().isEmpty() ? "-" : e.flags())
        + " "
        + e.bytesReceived()
        + " "
        + e.bytesSent()
        + " "
        + e.durationMillis()
        + " - \""
        + dash(e.forwardedFor())
        + "\" \""
        + dash(e.userAgent())
        + "\" \""
        + dash(e.requestId())
        + "\" \""
        + dash(e.authority())
        + "\" \""
        + dash(e.upstreamHost())
        + "\"";
  }

  private static String dash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
