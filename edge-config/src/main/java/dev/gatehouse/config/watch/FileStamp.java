package dev.gatehouse.config.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What a stat says about a file, symlinks followed: size, modification time (as precise as the file
 * system keeps it) and file key (the inode, so that a ConfigMap's symlink swap to a new file counts
 * as a change even when size and time agree). Equal stamps mean "probably unchanged"; the content
 * hash decides.
 */
record FileStamp(long size, long modifiedNanos, Object fileKey) {
  static FileStamp of(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    return new FileStamp(
        attributes.size(),
        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
        attributes.fileKey());
  }

  @Override
  public String toString() {
    return size + "|" + modifiedNanos + "|" + fileKey;
  }
}
