/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the model digest and the SHA-256 of every other file of the artifact,
 * sorted by relative path: {@code {"format": 1, "digest": "sha256:<hex>", "files": {"<path>":
 * "<hex>"}}}.
 *
 * @param digest the model digest ({@code sha256:<hex>})
 * @param files relative path ({@code /}-separated) to hex SHA-256 of the file's bytes
 */
record Manifest(String digest, SortedMap<String, String> files) {
  static final String FILE_NAME = "manifest.json";
  static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  Manifest {
    requireNonNull(digest, "digest is null");
    files =
        Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(files, "files is null")));
  }

  /** The hashes of every file under {@code dir} except the manifest itself. */
  static SortedMap<String, String> hashFiles(Path dir) {
    SortedMap<String, String> files = new TreeMap<>();
    for (String relative : Checksums.relativeFiles(dir)) {
      if (!relative.equals(FILE_NAME)) {
        files.put(relative, Checksums.sha256(dir.resolve(relative)));
      }
    }
    return files;
  }

  void write(Path dir) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("digest", digest);
    ObjectNode entries = root.putObject("files");
    files.forEach(entries::put);
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE_NAME).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + dir.resolve(FILE_NAME), e);
    }
  }

  /** Reads the artifact's manifest; refuses a missing or malformed one. */
  static Manifest read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw PipelineErrors.artifactInvalid(dir.toString(), "it has no " + FILE_NAME);
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw PipelineErrors.artifactInvalid(
          dir.toString(), String.format("%s is not JSON: %s", FILE_NAME, e.getMessage()));
    }
    if (root == null
        || root.path("format").asInt(-1) != FORMAT
        || !root.path("digest").isTextual()
        || !root.path("files").isObject()) {
      throw PipelineErrors.artifactInvalid(
          dir.toString(),
          String.format(
              "%s is not a format-%s manifest with a digest and files: %s",
              FILE_NAME, FORMAT, root));
    }
    SortedMap<String, String> files = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      files.put(entry.getKey(), entry.getValue().asText());
    }
    return new Manifest(root.path("digest").asText(), files);
  }

  /**
   * What differs between the manifest and the files under {@code dir}: each missing, changed or
   * unlisted file, named; empty when they match.
   */
  List<String> problems(Path dir) {
    SortedMap<String, String> actual = hashFiles(dir);
    List<String> problems = new ArrayList<>();
    files.forEach(
        (path, expected) -> {
          String found = actual.get(path);
          if (found == null) {
            problems.add(String.format("file %s is missing", path));
          } else if (!found.equals(expected)) {
            problems.add(
                String.format(
                    "file %s has sha256 %s, the manifest lists %s", path, found, expected));
          }
        });
    actual.keySet().stream()
        .filter(path -> !files.containsKey(path))
        .forEach(path -> problems.add(String.format("file %s is not in the manifest", path)));
    return problems;
  }
}
