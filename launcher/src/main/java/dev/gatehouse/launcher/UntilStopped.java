package dev.gatehouse.launcher;

import java.util.concurrent.CountDownLatch;

/** How a long-running command waits: until the JVM stops (Ctrl-C, SIGTERM) or a test interrupts. */
final class UntilStopped {
  private UntilStopped() {}

  /** Serves until the JVM stops (Ctrl-C) or the calling thread is interrupted (tests). */
  static void serve(AutoCloseable running) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              closeQuietly(running);
              stopped.countDown();
            },
            "gatehouse-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException exiting) {
        return;
      }
      closeQuietly(running);
    }
  }

  private static void closeQuietly(AutoCloseable running) {
    try {
      running.close();
    } catch (Exception e) {
      // Stopping anyway.
    }
  }
}
