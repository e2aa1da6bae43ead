/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The content fingerprint of a table version: the sum of the 64-bit xxhash64 of every row, modulo
 * 2^64, together with the row count. A sum is order-independent (partitioning and file order do not
 * matter) yet, unlike XOR, counts a duplicated row twice. The row hash covers every column in
 * schema order plus a null flag per column, so moving a null from one column to another changes it.
 * The sum is computed on the executors as two 32-bit halves, so it cannot overflow whatever the
 * ANSI mode; the driver combines them modulo 2^64.
 *
 * @param hashSum the sum of row hashes modulo 2^64
 * @param rowCount the number of rows
 */
public record Fingerprint(long hashSum, long rowCount) {
  private static final long LOW_32_BITS = 0xFFFFFFFFL;

  /** {@code <16 hex digits of the sum>:<row count>}. */
  public String value() {
    return String.format("%016x:%d", hashSum, rowCount);
  }

  /** One aggregation pass over {@code rows}. */
  public static Fingerprint of(Dataset<Row> rows) {
    Column hash = rowHash(rows.schema());
    Row r =
        rows.select(hash.as("h"))
            .agg(
                count(lit(1)).as("n"),
                sum(col("h").bitwiseAND(lit(LOW_32_BITS))).as("lo"),
                sum(shiftrightunsigned(col("h"), 32)).as("hi"))
            .first();
    long n = r.getLong(0);
    long lo = r.isNullAt(1) ? 0L : r.getLong(1);
    long hi = r.isNullAt(2) ? 0L : r.getLong(2);
    return new Fingerprint((hi << 32) + lo, n);
  }

  /** The per-row hash: xxhash64 over every column and its null flag, in schema order. */
  static Column rowHash(StructType schema) {
    List<Column> parts = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Column c = col("`" + field.name().replace("`", "``") + "`");
      // xxhash64 rejects maps; their sorted entries hash the same content.
      parts.add(
          field.dataType() instanceof MapType ? functions.array_sort(functions.map_entries(c)) : c);
      parts.add(c.isNull());
    }
    return xxhash64(parts.toArray(new Column[0]));
  }

  /** SHA-256 (first 16 hex digits) of the schema's JSON: column names, types, nullability. */
  public static String schemaHash(StructType schema) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(schema.json().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
