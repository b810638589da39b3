package dev.gatehouse.proxy.upstream.balancer;

import java.nio.charset.StandardCharsets;

/** The 64-bit hash used for rings, Maglev tables and request hash policies. */
public final class Hashing {
  private Hashing() {}

  /** FNV-1a over UTF-8, finished with MurmurHash3's fmix64 so that close inputs spread widely. */
  public static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return mix(hash);
  }

  static long mix(long value) {
    long k = value;
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
