/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The content of a Parquet data file as canonical text, independent of how the file was encoded:
 * Parquet's footer (statistics, encodings, writer details) can differ between two writes of the
 * same rows, so a model's data files are compared by their schema and rows, never their bytes.
 */
final class ParquetRows {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetRows() {}

  /** Whether the file starts with Parquet's magic bytes. */
  static boolean isParquet(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /**
   * The file's Parquet schema (its message type, as text) on the first line, then one line per row
   * in file order: parquet-mr's text rendering of the row's (nested) fields, which prints every
   * value exactly (doubles with {@link Double#toString}).
   */
  static byte[] canonical(Path file) {
    List<String> lines = new ArrayList<>();
    lines.add(schema(file));
    lines.addAll(rows(file, group -> group.toString().replace("\n", "\\n")));
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  /** Each row rendered by {@code render}, in file order. */
  static List<String> rows(Path file, Function<Group, String> render) {
    List<String> rows = new ArrayList<>();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), path).build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(render.apply(row));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    return rows;
  }

  private static String schema(Path file) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(path, new org.apache.hadoop.conf.Configuration()))) {
      return reader.getFooter().getFileMetaData().getSchema().toString().replace("\n", " ");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Parquet footer of " + file, e);
    }
  }
}
