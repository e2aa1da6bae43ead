/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code sluicetest:}, which the registry server (like for {@code
 * s3a:}) treats as a remote artifacts root it only records, so that the client's Hadoop code path
 * for remote roots runs against files a test can inspect.
 */
public final class LocalAsRemoteFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "sluicetest";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    return plain(super.getFileStatus(path));
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    FileStatus[] statuses = super.listStatus(path);
    FileStatus[] plain = new FileStatus[statuses.length];
    for (int i = 0; i < statuses.length; i++) {
      plain[i] = plain(statuses[i]);
    }
    return plain;
  }

  /** Without the local permission lookup, which needs a file: URI. */
  private static FileStatus plain(FileStatus status) {
    return new FileStatus(
        status.getLen(),
        status.isDirectory(),
        1,
        status.getBlockSize(),
        status.getModificationTime(),
        status.getPath());
  }
}
