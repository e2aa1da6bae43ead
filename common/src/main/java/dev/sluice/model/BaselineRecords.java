/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.table.Columns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_baselines} table: one row per model version, column and bin, each repeating its
 * column's stats. The open ends of numeric bins are stored as {@code -Infinity} and {@code
 * +Infinity} (Delta stores them as such). Nullable columns are null where they do not apply: bin
 * bounds for a category, {@code category} for a numeric bin, mean, stddev, min and max for a
 * categorical column or where they are undefined (no values; stddev of a single value), and {@code
 * distinct_count} for a numeric column.
 */
public final class BaselineRecords {
  public static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField(Columns.MODEL_NAME, StringType, false),
              createStructField(Columns.MODEL_VERSION, LongType, false),
              createStructField(Columns.COLUMN_NAME, StringType, false),
              createStructField(Columns.COLUMN_KIND, StringType, false),
              createStructField(Columns.DATA_TYPE, StringType, false),
              createStructField(Columns.BIN_INDEX, IntegerType, false),
              createStructField(Columns.BIN_LOWER, DoubleType, true),
              createStructField(Columns.BIN_UPPER, DoubleType, true),
              createStructField(Columns.CATEGORY, StringType, true),
              createStructField(Columns.BIN_COUNT, LongType, false),
              createStructField(Columns.BIN_SHARE, DoubleType, false),
              createStructField(Columns.ROW_COUNT, LongType, false),
              createStructField(Columns.NULL_COUNT, LongType, false),
              createStructField(Columns.NAN_COUNT, LongType, false),
              createStructField(Columns.NULL_RATE, DoubleType, false),
              createStructField(Columns.MEAN, DoubleType, true),
              createStructField(Columns.STDDEV, DoubleType, true),
              createStructField(Columns.MIN, DoubleType, true),
              createStructField(Columns.MAX, DoubleType, true),
              createStructField(Columns.DISTINCT_COUNT, LongType, true),
              createStructField(Columns.RUN_ID, StringType, false),
              createStructField(Columns.CREATED_TS, TimestampType, false)));

  private BaselineRecords() {}

  /** The rows of {@code profiles} in {@link #SCHEMA}, column by column, bins in index order. */
  public static List<Row> toRows(
      List<ColumnProfile> profiles, String modelName, long modelVersion, String runId, Instant at) {
    requireNonNull(modelName, "modelName is null");
    requireNonNull(runId, "runId is null");
    Timestamp created = Timestamp.from(requireNonNull(at, "at is null"));
    List<Row> rows = new ArrayList<>();
    for (ColumnProfile p : profiles) {
      NumericStats stats = p.stats().orElse(null);
      for (Bin bin : p.bins()) {
        boolean range = bin.category().isEmpty();
        rows.add(
            RowFactory.create(
                modelName,
                modelVersion,
                p.name(),
                p.kind().value(),
                p.dataType(),
                bin.index(),
                range ? bin.lower() : null,
                range ? bin.upper() : null,
                bin.category().orElse(null),
                bin.count(),
                bin.share(),
                p.rowCount(),
                p.nullCount(),
                p.nanCount(),
                p.nullRate(),
                stats == null ? null : number(stats.mean()),
                stats == null ? null : number(stats.stddev()),
                stats == null ? null : number(stats.min()),
                stats == null ? null : number(stats.max()),
                p.distinctCount().isPresent() ? p.distinctCount().getAsLong() : null,
                runId,
                created));
      }
    }
    return List.copyOf(rows);
  }

  /** Null for NaN: an undefined statistic. */
  private static Double number(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
