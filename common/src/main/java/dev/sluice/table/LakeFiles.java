/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small JSON files of Sluice's own (locks, markers) on the lake's file system. */
public final class LakeFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LakeFiles() {}

  /** The file's JSON object; empty when the file is missing, empty or not a JSON object. */
  public static Optional<ObjectNode> readJson(FileSystem fs, Path path) {
    try (InputStream in = fs.open(path)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      JsonNode node = text.isBlank() ? null : JSON.readTree(text);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /** Writes (or overwrites) the file with the JSON object. */
  public static void writeJson(FileSystem fs, Path path, ObjectNode content) {
    try (OutputStream out = fs.create(path, true)) {
      out.write(JSON.writeValueAsBytes(content));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }

  public static void delete(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + path, e);
    }
  }

  public static byte[] bytes(ObjectNode content) {
    try {
      return JSON.writeValueAsBytes(content);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render " + content, e);
    }
  }
}
