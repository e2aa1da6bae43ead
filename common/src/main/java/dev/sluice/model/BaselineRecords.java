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
import dev.sluice.model.ProfiledColumn.Kind;
import dev.sluice.table.Columns;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
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
  /**
   * The column name of the label's baseline (a 0/1 label as categories, a numeric one on quantile
   * bins), which label drift compares the landed labels with; no scoring input has this name.
   */
  public static final String LABEL = "_label";

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

  /**
   * The profiles of {@code rows} (rows of {@link #SCHEMA}, any order) by model version, columns in
   * the order of their first bin row: the inverse of {@link #toRows}.
   */
  public static Map<Long, List<ColumnProfile>> fromRows(List<Row> rows) {
    Map<Long, Map<String, List<Row>>> byVersion = new TreeMap<>();
    for (Row r : rows) {
      byVersion
          .computeIfAbsent(r.<Long>getAs(Columns.MODEL_VERSION), v -> new LinkedHashMap<>())
          .computeIfAbsent(r.<String>getAs(Columns.COLUMN_NAME), c -> new ArrayList<>())
          .add(r);
    }
    Map<Long, List<ColumnProfile>> profiles = new LinkedHashMap<>();
    byVersion.forEach(
        (version, columns) ->
            profiles.put(
                version, columns.values().stream().map(BaselineRecords::profile).toList()));
    return profiles;
  }

  private static ColumnProfile profile(List<Row> bins) {
    List<Row> sorted = new ArrayList<>(bins);
    sorted.sort(Comparator.comparingInt(r -> r.<Integer>getAs(Columns.BIN_INDEX)));
    Row first = sorted.get(0);
    Kind kind = Kind.valueOf(first.<String>getAs(Columns.COLUMN_KIND).toUpperCase(Locale.ROOT));
    List<Bin> parsed = new ArrayList<>();
    for (Row r : sorted) {
      String category = r.getAs(Columns.CATEGORY);
      parsed.add(
          new Bin(
              r.getAs(Columns.BIN_INDEX),
              category == null ? r.<Double>getAs(Columns.BIN_LOWER) : Double.NaN,
              category == null ? r.<Double>getAs(Columns.BIN_UPPER) : Double.NaN,
              Optional.ofNullable(category),
              r.getAs(Columns.BIN_COUNT),
              r.getAs(Columns.BIN_SHARE)));
    }
    Optional<NumericStats> stats =
        kind == Kind.NUMERIC
            ? NumericStats.of(
                first.getAs(Columns.MEAN),
                first.getAs(Columns.STDDEV),
                first.getAs(Columns.MIN),
                first.getAs(Columns.MAX))
            : Optional.empty();
    Long distinct = first.getAs(Columns.DISTINCT_COUNT);
    return new ColumnProfile(
        first.getAs(Columns.COLUMN_NAME),
        kind,
        first.getAs(Columns.DATA_TYPE),
        first.getAs(Columns.ROW_COUNT),
        first.getAs(Columns.NULL_COUNT),
        first.getAs(Columns.NAN_COUNT),
        stats,
        distinct == null ? OptionalLong.empty() : OptionalLong.of(distinct),
        parsed);
  }

  /** Null for NaN: an undefined statistic. */
  private static Double number(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
