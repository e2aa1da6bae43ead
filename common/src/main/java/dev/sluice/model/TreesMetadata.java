/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;

/**
 * The canonical content of a tree ensemble's {@code treesMetadata} Parquet file (random forests,
 * gradient-boosted trees): one row per tree whose {@code metadata} column holds the tree's params
 * as JSON, including the write {@code timestamp} and a random {@code uid} MLlib draws for each tree
 * (no caller can set it). The file's bytes therefore differ between identical trainings; its rows,
 * canonicalized, do not.
 */
final class TreesMetadata {
  static final String DIR = "treesMetadata";
  private static final String METADATA_COLUMN = "metadata";

  private TreesMetadata() {}

  /**
   * Each row as a JSON object with sorted keys (column name to its value's text, the {@code
   * metadata} column as its JSON without the top-level {@code timestamp} and {@code uid}), the rows
   * sorted and joined with {@code \n}, UTF-8.
   */
  static byte[] canonical(Path file) {
    List<String> rows = ParquetRows.rows(file, TreesMetadata::canonicalRow);
    return String.join("\n", rows.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8);
  }

  private static String canonicalRow(Group row) {
    GroupType type = row.getType();
    Map<String, Object> fields = new TreeMap<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      String name = type.getFieldName(i);
      List<String> values = new ArrayList<>();
      for (int j = 0; j < row.getFieldRepetitionCount(i); j++) {
        values.add(row.getValueToString(i, j));
      }
      if (name.equals(METADATA_COLUMN) && values.size() == 1) {
        Object metadata = ModelDigest.withoutTimestamp(values.get(0));
        if (metadata instanceof Map<?, ?> object) {
          // MLlib draws each tree's uid at random (dtc_<12 hex>); no caller can set it.
          object.remove("uid");
        }
        fields.put(name, metadata);
      } else {
        fields.put(name, values);
      }
    }
    return ModelDigest.sortedJson(fields);
  }
}
