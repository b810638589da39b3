package dev.gatehouse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file growing in a directory that a service watches, as when its output is redirected there:
 * each line is a change of a file that is not YAML.
 */
public final class GrowingLog {
  private GrowingLog() {}

  /** Appends {@code lines} lines to {@code file}, {@code millisApart} ms apart. */
  public static void append(Path file, int lines, long millisApart) {
    try {
      for (int i = 0; i < lines; i++) {
        Files.writeString(
            file, "line " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(millisApart);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
