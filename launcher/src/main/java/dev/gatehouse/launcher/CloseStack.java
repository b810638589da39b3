package dev.gatehouse.launcher;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a command has started, closed in reverse order: a failure to close one part is ignored so
 * that the parts started before it are still released.
 */
final class CloseStack implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  void push(AutoCloseable part) {
    started.push(part);
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // Stopping anyway: the rest must still be released.
      }
    }
  }
}
