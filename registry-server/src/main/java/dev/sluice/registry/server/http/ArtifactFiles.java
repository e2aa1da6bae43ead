/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry.server.http;

import static java.util.Objects.requireNonNull;

import dev.sluice.registry.server.api.MlflowErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Artifacts stored under one local directory. Every relative path is checked: {@code ..} segments,
 * absolute paths, backslashes, NUL and percent-encoded separators or dots are refused with
 * INVALID_PARAMETER_VALUE, and the resolved path must stay under the root.
 */
final class ArtifactFiles {
  private static final List<String> ENCODED_TRICKS = List.of("%2e", "%2f", "%5c", "%00");

  private final Path root;

  ArtifactFiles(Path root) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the artifacts root " + this.root, e);
    }
  }

  /** A listed entry: its name relative to the listed directory, and its size for files. */
  record Entry(String name, boolean isDir, long size) {
    Entry {
      requireNonNull(name, "name is null");
    }
  }

  /** The checked location of {@code relative} under the root; "" is the root itself. */
  Path resolve(String relative) {
    String path = relative == null ? "" : relative;
    String lower = path.toLowerCase(Locale.ROOT);
    boolean tricky =
        path.startsWith("/")
            || path.contains("\\")
            || path.indexOf('\0') >= 0
            || path.matches("^[A-Za-z]:.*")
            || ENCODED_TRICKS.stream().anyMatch(lower::contains)
            || Stream.of(path.split("/")).anyMatch(segment -> segment.equals(".."));
    Path resolved = root.resolve(path).normalize();
    if (tricky || !resolved.startsWith(root)) {
      throw MlflowErrors.invalidParameter("Invalid artifact path: '%s'", relative);
    }
    return resolved;
  }

  /** The entries of directory {@code relative}, sorted by name; empty when it does not exist. */
  List<Entry> list(String relative) {
    Path directory = resolve(relative);
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      List<Entry> entries = new ArrayList<>();
      for (Path child : children.sorted(Comparator.comparing(Path::toString)).toList()) {
        boolean isDir = Files.isDirectory(child);
        entries.add(
            new Entry(child.getFileName().toString(), isDir, isDir ? 0 : Files.size(child)));
      }
      return List.copyOf(entries);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list artifacts in " + directory, e);
    }
  }

  /** Writes {@code content} to {@code relative} atomically, refusing more than {@code limit}. */
  void write(String relative, InputStream content, long limit) {
    Path target = resolve(relative);
    if (relative == null || relative.isEmpty() || Files.isDirectory(target)) {
      throw MlflowErrors.invalidParameter("Invalid artifact path: '%s'", relative);
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(temp)) {
          copyAtMost(content, out, limit);
        }
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write artifact " + relative, e);
    }
  }

  /** The file at {@code relative}, or RESOURCE_DOES_NOT_EXIST. */
  Path file(String relative) {
    Path file = resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw MlflowErrors.notFound("Artifact '%s' does not exist", relative);
    }
    return file;
  }

  /** Deletes a file or a directory tree; deleting what does not exist is a no-op. */
  void delete(String relative) {
    Path target = resolve(relative);
    if (target.equals(root)) {
      throw MlflowErrors.invalidParameter("Refusing to delete the artifacts root");
    }
    if (!Files.exists(target)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(target)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete artifact " + relative, e);
    }
  }

  private static void copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) >= 0) {
      total += read;
      if (total > limit) {
        throw MlflowErrors.tooLarge(limit);
      }
      out.write(buffer, 0, read);
    }
  }
}
