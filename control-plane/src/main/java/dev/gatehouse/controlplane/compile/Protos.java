package dev.gatehouse.controlplane.compile;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import dev.gatehouse.config.traffic.AddedHeader;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small builders for the Envoy proto values that every compiler part writes. */
final class Protos {
  private Protos() {}

  static Duration millis(long ms) {
    return Duration.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static UInt32Value uint32(int value) {
    return UInt32Value.of(value);
  }

  static Any any(Message message) {
    return Any.pack(message);
  }

  static StringMatcher exact(String value) {
    return StringMatcher.newBuilder().setExact(value).build();
  }

  static StringMatcher regex(String pattern) {
    return StringMatcher.newBuilder().setSafeRegex(re2(pattern)).build();
  }

  /** RE2, the only regex engine Envoy has; the binder has already checked that it compiles. */
  static RegexMatcher re2(String pattern) {
    return RegexMatcher.newBuilder().setRegex(pattern).build();
  }

  /**
   * Header additions in name order. {@code append: true} adds a value next to what is there; false
   * replaces it (Envoy's append_action, the successor of the deprecated bool).
   */
  static List<HeaderValueOption> headersToAdd(Map<String, AddedHeader> headers) {
    List<HeaderValueOption> out = new ArrayList<>();
    for (Map.Entry<String, AddedHeader> entry : new TreeMap<>(headers).entrySet()) {
      out.add(
          HeaderValueOption.newBuilder()
              .setHeader(
                  HeaderValue.newBuilder()
                      .setKey(entry.getKey())
                      .setValue(entry.getValue().value()))
              .setAppendAction(
                  Boolean.FALSE.equals(entry.getValue().append())
                      ? HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD
                      : HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)
              .build());
    }
    return out;
  }
}
