package dev.gatehouse.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a long-running command waits: until the JVM stops (Ctrl-C, SIGTERM), the calling thread is
 * interrupted, or a test releases its stop latch. Whichever comes first closes what runs, once; on
 * JVM shutdown the close runs inside the shutdown hook, so it finishes before the JVM exits.
 */
final class UntilStopped {
  private UntilStopped() {}

  static void serve(AutoCloseable running) {
    serve(running, new CountDownLatch(1));
  }

  static void serve(AutoCloseable running, CountDownLatch stop) {
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) {
            try {
              running.close();
            } catch (Exception e) {
              // Stopping anyway.
            }
          }
        };
    Thread hook =
        new Thread(
            () -> {
              close.run();
              stop.countDown();
            },
            "gatehouse-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } catch (InterruptedException e) {
      // Asked to stop in-process: close as Ctrl-C would.
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException exiting) {
      return; // the JVM is stopping: the hook closes everything
    }
    close.run();
  }
}
