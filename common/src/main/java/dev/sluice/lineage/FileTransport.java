/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each event as one JSON line to a local file. Each line is one append-mode write, so the
 * lines of jobs appending at once do not interleave on local file systems.
 */
final class FileTransport implements EventTransport {
  private final Path file;

  FileTransport(Path file) {
    this.file = requireNonNull(file, "file is null");
  }

  @Override
  public void send(String json) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(
        file,
        (json + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  @Override
  public String target() {
    return file.toString();
  }
}
