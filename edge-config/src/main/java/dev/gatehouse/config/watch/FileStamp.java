package dev.gatehouse.config.watch;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What a stat says about a file, symlinks followed: its type, size, modification time (as precise
 * as the file system keeps it) and file key (the inode, so that a ConfigMap's symlink swap to a new
 * file counts as a change even when size and time agree). Equal stamps mean "probably unchanged";
 * the content hash decides.
 */
record FileStamp(
    boolean regularFile, boolean directory, long size, long modifiedNanos, Object fileKey) {
  static FileStamp of(BasicFileAttributes attributes) {
    return new FileStamp(
        attributes.isRegularFile(),
        attributes.isDirectory(),
        attributes.size(),
        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
        attributes.fileKey());
  }
}
