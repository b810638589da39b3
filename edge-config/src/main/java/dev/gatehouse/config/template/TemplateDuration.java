package dev.gatehouse.config.template;

/**
 * A length of time as Go templates show a {@code time.Duration}: {@code 1m30s}, {@code 1.5s},
 * {@code 250ms}, {@code 0s} as text; {@code .Seconds}, {@code .Milliseconds}, {@code .Minutes},
 * {@code .Hours} as numbers; nanoseconds as JSON (what Go's encoder writes).
 */
public record TemplateDuration(long nanos) implements Fields {

  public static TemplateDuration ofMicros(long micros) {
    return new TemplateDuration(micros * 1000);
  }

  @Override
  public Object field(String name) {
    return switch (name) {
      case "Seconds" -> nanos / 1e9;
      case "Minutes" -> nanos / 6e10;
      case "Hours" -> nanos / 3.6e12;
      case "Milliseconds" -> nanos / 1_000_000;
      case "Microseconds" -> nanos / 1_000;
      case "Nanoseconds" -> nanos;
      default -> null;
    };
  }

  @Override
  public Object json() {
    return nanos;
  }

  @Override
  public String toString() {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long n = Math.abs(nanos);
    if (nanos < 0) {
      out.append('-');
    }
    if (n < 1_000) {
      return out.append(n).append("ns").toString();
    }
    if (n < 1_000_000) {
      return out.append(fraction(n, 1_000)).append("µs").toString();
    }
    if (n < 1_000_000_000) {
      return out.append(fraction(n, 1_000_000)).append("ms").toString();
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    long rest = n % 60_000_000_000L;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    return out.append(fraction(rest, 1_000_000_000)).append('s').toString();
  }

  /** {@code value / unit} with the fraction's trailing zeros dropped, as Go prints it. */
  private static String fraction(long value, long unit) {
    long whole = value / unit;
    long part = value % unit;
    if (part == 0) {
      return Long.toString(whole);
    }
    String digits = Long.toString(unit + part).substring(1).replaceAll("0+$", "");
    return whole + "." + digits;
  }
}
