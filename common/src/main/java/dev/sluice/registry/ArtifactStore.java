/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The artifacts of one run: upload a local directory, download a subtree. */
interface ArtifactStore {
  void upload(Path localDirectory, String artifactPath);

  /** Downloads every file below {@code artifactPath}; returns how many were written. */
  int download(String artifactPath, Path localDirectory);

  /** The regular files below {@code directory}, as relative paths with '/' separators, sorted. */
  static List<String> relativeFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          String.format("Cannot upload artifacts: %s is not a directory", directory));
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .map(file -> directory.relativize(file).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory, e);
    }
  }

  /** Joins path parts with single slashes, skipping empty ones. */
  static String join(String... parts) {
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      String trimmed = part.replaceAll("^/+|/+$", "");
      if (!trimmed.isEmpty()) {
        if (out.length() > 0) {
          out.append('/');
        }
        out.append(trimmed);
      }
    }
    return out.toString();
  }

  /** The local file a relative artifact path lands on, refusing paths that leave the directory. */
  static Path target(Path localDirectory, String relative) {
    Path root = localDirectory.toAbsolutePath().normalize();
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IllegalArgumentException(
          String.format("Invalid artifact path: '%s' (leaves %s)", relative, localDirectory));
    }
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + target.getParent(), e);
    }
    return target;
  }
}
