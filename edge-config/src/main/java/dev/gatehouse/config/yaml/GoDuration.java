package dev.gatehouse.config.yaml;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Go's {@code time.ParseDuration} reads them ("300ms", "1.5h", "2h45m"), the
 * form Edge Stack's Filter fields use.
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * @throws IllegalArgumentException when the text is not a Go duration
   */
  public static Duration parse(String text) {
    String body = text.strip();
    boolean negative = body.startsWith("-");
    if (negative || body.startsWith("+")) {
      body = body.substring(1);
    }
    if (body.equals("0")) {
      return Duration.ZERO;
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher matcher = PART.matcher(body);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < body.length()) {
      if (!matcher.find(at) || matcher.start() != at) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(unitNanos(matcher.group(2))));
      at = matcher.end();
    }
    Duration duration = Duration.ofNanos(nanos.longValue());
    return negative ? duration.negated() : duration;
  }

  /** The shortest Go form of a duration, e.g. "1h30m" or "250ms". */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder(duration.isNegative() ? "-" : "");
    Duration rest = duration.abs();
    long hours = rest.toHours();
    if (hours > 0) {
      out.append(hours).append('h');
      rest = rest.minusHours(hours);
    }
    long minutes = rest.toMinutes();
    if (minutes > 0) {
      out.append(minutes).append('m');
      rest = rest.minusMinutes(minutes);
    }
    if (rest.getNano() % 1_000_000 == 0 && rest.toMillis() < 1000 && rest.getSeconds() == 0) {
      return rest.isZero() ? out.toString() : out.append(rest.toMillis()).append("ms").toString();
    }
    if (!rest.isZero()) {
      BigDecimal seconds =
          BigDecimal.valueOf(rest.getSeconds()).add(BigDecimal.valueOf(rest.getNano(), 9));
      out.append(seconds.stripTrailingZeros().toPlainString()).append('s');
    }
    return out.toString();
  }

  private static BigDecimal unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> BigDecimal.ONE;
      case "us", "µs" -> BigDecimal.valueOf(1_000L);
      case "ms" -> BigDecimal.valueOf(1_000_000L);
      case "s" -> BigDecimal.valueOf(1_000_000_000L);
      case "m" -> BigDecimal.valueOf(60_000_000_000L);
      case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }
}
