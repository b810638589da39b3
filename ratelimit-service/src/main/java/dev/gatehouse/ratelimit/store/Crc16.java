package dev.gatehouse.ratelimit.store;

import java.nio.charset.StandardCharsets;

/** Redis Cluster's hash slot of a key: CRC16 (XMODEM) of its hash tag, modulo 16384. */
final class Crc16 {
  private Crc16() {}

  static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    return crc(key.getBytes(StandardCharsets.UTF_8)) & 16383;
  }

  static int crc(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xFF) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xFFFF;
  }
}
