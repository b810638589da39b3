package dev.gatehouse.e2e;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and latency of a drill's answers, for its assertions and for the log line it leaves. */
record Tally(String what, List<Load.Shot> shots) {
  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.e2e");

  /** The answers sent within [from, to) ms. */
  Tally between(String label, long from, long to) {
    return new Tally(
        what + " " + label,
        shots.stream().filter(s -> s.sentAt() >= from && s.sentAt() < to).toList());
  }

  /**
   * The answers that came back before {@code to} ms: a request sent just before a dependency is
   * killed can reach it after, and its answer belongs to the outage.
   */
  Tally answeredBefore(String label, long to) {
    return new Tally(
        what + " " + label, shots.stream().filter(s -> s.sentAt() + s.latencyMs() < to).toList());
  }

  int total() {
    return shots.size();
  }

  List<Load.Shot> matching(Predicate<Load.Shot> test) {
    return shots.stream().filter(test).toList();
  }

  /** Answers other than a 200, and transport errors. */
  List<Load.Shot> failures() {
    return matching(s -> !s.ok());
  }

  /** Status (0 for a transport error) to count. */
  Map<Integer, Long> statuses() {
    return shots.stream()
        .collect(Collectors.groupingBy(Load.Shot::status, TreeMap::new, Collectors.counting()));
  }

  long percentileMs(double p) {
    if (shots.isEmpty()) {
      return 0;
    }
    long[] sorted = shots.stream().mapToLong(Load.Shot::latencyMs).sorted().toArray();
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, index)];
  }

  /** One line with counts, statuses and latency; logged so that each run leaves its figures. */
  String summary() {
    String line =
        "%s: %d requests, %d not 200 (%.3f%%), statuses %s, p50 %d ms, p99 %d ms, max %d ms"
            .formatted(
                what,
                total(),
                failures().size(),
                total() == 0 ? 0.0 : 100.0 * failures().size() / total(),
                statuses(),
                percentileMs(50),
                percentileMs(99),
                percentileMs(100));
    LOG.info(line);
    return line;
  }
}
