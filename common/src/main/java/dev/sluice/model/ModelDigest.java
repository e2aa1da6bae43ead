/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.error.PipelineErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest of a saved MLlib model: SHA-256 over its canonical content, so that two identical
 * trainings share it although MLlib writes random part-file names and write timestamps.
 *
 * <p>Canonicalization of the files under the model directory (paths relative to it, with {@code
 * /}):
 *
 * <ol>
 *   <li>{@code _SUCCESS} and {@code *.crc} files are skipped.
 *   <li>A <em>metadata file</em> (any other file in a directory named {@code metadata}) is read as
 *       UTF-8 lines of JSON; each non-blank line is parsed, its top-level {@code timestamp} field
 *       dropped, and re-serialized compactly with object keys sorted at every level; the lines are
 *       joined with {@code \n}. Its canonical path is its path; its hash is the SHA-256 of that
 *       text.
 *   <li>A <em>data file</em> (any other file whose name starts with {@code part-}) is hashed by its
 *       content, not its bytes (two writes of the same rows can differ in Parquet's footer): a
 *       Parquet file as its schema line followed by one line per row in file order, in parquet-mr's
 *       exact text rendering ({@link ParquetRows}); in a tree ensemble's {@code treesMetadata}
 *       directory, whose rows embed each tree's metadata JSON, the hash is over the rows, each
 *       rendered as a JSON object with sorted keys (column name to the list of its values' text;
 *       the {@code metadata} column as its JSON without the top-level {@code timestamp} and the
 *       tree's random {@code uid}), sorted and joined with {@code \n}. A data file that is not
 *       Parquet is hashed as raw bytes. Its canonical path is its directory's path plus {@code
 *       /part-<i>}, where {@code i} is its 0-based index among that directory's data files sorted
 *       by hash.
 *   <li>Any other file is hashed as raw bytes under its own path.
 *   <li>The digest is {@code sha256:} plus the hex SHA-256 of the UTF-8 text made of one line
 *       {@code <canonical path>\t<hex hash>\n} per file, sorted by canonical path.
 * </ol>
 *
 * Stage directories ({@code stages/<index>_<uid>}) keep their names: stage uids are part of the
 * model and are set by the caller.
 */
final class ModelDigest {
  static final String PREFIX = "sha256:";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final String METADATA_DIR = "metadata";

  private ModelDigest() {}

  /** The digest of the model saved under {@code modelDir}. */
  static String of(Path modelDir) {
    StringBuilder lines = new StringBuilder();
    canonicalHashes(modelDir)
        .forEach((path, hash) -> lines.append(path).append('\t').append(hash).append('\n'));
    return PREFIX + Checksums.sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Canonical path to canonical content hash, sorted by path. */
  static SortedMap<String, String> canonicalHashes(Path modelDir) {
    SortedMap<String, String> hashes = new TreeMap<>();
    Map<String, List<String>> dataHashesByDir = new TreeMap<>();
    for (String relative : Checksums.relativeFiles(modelDir)) {
      Path file = modelDir.resolve(relative);
      String name = file.getFileName().toString();
      int slash = relative.lastIndexOf('/');
      String parent = slash < 0 ? "" : relative.substring(0, slash);
      if (isHadoopBookkeeping(name)) {
        continue;
      }
      if (isIn(parent, METADATA_DIR)) {
        hashes.put(relative, Checksums.sha256(canonicalMetadata(modelDir, relative)));
      } else if (name.startsWith("part-")) {
        String hash =
            isIn(parent, TreesMetadata.DIR)
                ? Checksums.sha256(TreesMetadata.canonical(file))
                : ParquetRows.isParquet(file)
                    ? Checksums.sha256(ParquetRows.canonical(file))
                    : Checksums.sha256(file);
        dataHashesByDir.computeIfAbsent(parent, d -> new ArrayList<>()).add(hash);
      } else {
        hashes.put(relative, Checksums.sha256(file));
      }
    }
    dataHashesByDir.forEach(
        (dir, dataHashes) -> {
          List<String> sorted = dataHashes.stream().sorted().toList();
          String prefix = dir.isEmpty() ? "" : dir + "/";
          for (int i = 0; i < sorted.size(); i++) {
            hashes.put(prefix + "part-" + i, sorted.get(i));
          }
        });
    return hashes;
  }

  /** Files the Hadoop local file system writes beside the content: checksums and markers. */
  static boolean isHadoopBookkeeping(String fileName) {
    return fileName.equals("_SUCCESS") || fileName.endsWith(".crc");
  }

  private static boolean isIn(String parent, String dirName) {
    return parent.equals(dirName) || parent.endsWith("/" + dirName);
  }

  /** The metadata file's lines, each without its top-level timestamp and with sorted keys. */
  private static byte[] canonicalMetadata(Path modelDir, String relative) {
    String text;
    try {
      text = new String(Files.readAllBytes(modelDir.resolve(relative)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + modelDir.resolve(relative), e);
    }
    try {
      List<String> canonical = new ArrayList<>();
      for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
        canonical.add(sortedJson(withoutTimestamp(line)));
      }
      return String.join("\n", canonical).getBytes(StandardCharsets.UTF_8);
    } catch (UncheckedIOException e) {
      throw PipelineErrors.artifactInvalid(
          modelDir.toString(),
          String.format("metadata file %s is not JSON: %s", relative, e.getCause().getMessage()));
    }
  }

  /** The parsed JSON value; an object loses its top-level {@code timestamp}. */
  static Object withoutTimestamp(String json) {
    try {
      Object parsed = JSON.readValue(json, Object.class);
      if (parsed instanceof Map<?, ?> object) {
        object.remove("timestamp");
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Invalid JSON", e);
    }
  }

  /** Compact JSON with object keys sorted at every level. */
  static String sortedJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot render " + value, e);
    }
  }
}
