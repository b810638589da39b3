package dev.gatehouse.ratelimit;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;

/** Short ways to write RateLimitRequests in tests. */
public final class Rls {
  private Rls() {}

  /** A request of one or more descriptors. */
  public static RateLimitRequest request(String domain, RateLimitDescriptor... descriptors) {
    RateLimitRequest.Builder request = RateLimitRequest.newBuilder().setDomain(domain);
    for (RateLimitDescriptor descriptor : descriptors) {
      request.addDescriptors(descriptor);
    }
    return request.build();
  }

  /** A descriptor from key, value pairs: {@code descriptor("remote_address", "10.0.0.1")}. */
  public static RateLimitDescriptor descriptor(String... keysAndValues) {
    RateLimitDescriptor.Builder descriptor = RateLimitDescriptor.newBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      descriptor.addEntries(
          RateLimitDescriptor.Entry.newBuilder()
              .setKey(keysAndValues[i])
              .setValue(keysAndValues[i + 1]));
    }
    return descriptor.build();
  }

  /** The descriptor with its own hits_addend. */
  public static RateLimitDescriptor withHits(RateLimitDescriptor descriptor, long hits) {
    return descriptor.toBuilder().setHitsAddend(UInt64Value.of(hits)).build();
  }
}
