/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.drift.DriftComparison.Result;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Rows of {@code profile_metrics}, {@code drift_metrics} and {@code alerts} (docs/tables.md). */
public final class DriftRecords {
  /** One bin of a profile's histogram: the baseline's bin with this window's count. */
  public static final StructType BIN =
      new StructType()
          .add("bin_index", IntegerType, false)
          .add("lower", DoubleType, true)
          .add("upper", DoubleType, true)
          .add("category", StringType, true)
          .add("count", LongType, false)
          .add("share", DoubleType, false);

  public static final StructType PROFILE_METRICS =
      new StructType()
          .add("model_name", StringType, false)
          .add("model_version", LongType, false)
          .add("window_start", DateType, false)
          .add("window_end", DateType, false)
          .add("granularity", StringType, false)
          .add("slice_key", StringType, false)
          .add("slice_value", StringType, false)
          .add("column_name", StringType, false)
          .add("column_kind", StringType, false)
          .add("data_type", StringType, false)
          .add("count", LongType, false)
          .add("num_nulls", LongType, false)
          .add("num_nan", LongType, false)
          .add("avg", DoubleType, true)
          .add("stddev", DoubleType, true)
          .add("min", DoubleType, true)
          .add("max", DoubleType, true)
          .add("quantiles", createArrayType(DoubleType, false), false)
          .add("distinct_count", LongType, false)
          .add("frequent_items", createArrayType(StringType, false), false)
          .add("unseen_categories", createArrayType(StringType, false), false)
          .add("histogram", createArrayType(BIN, false), false)
          .add("run_id", StringType, false)
          .add("created_ts", TimestampType, false);

  public static final StructType DRIFT_METRICS =
      new StructType()
          .add("model_name", StringType, false)
          .add("model_version", LongType, false)
          .add("window_start", DateType, false)
          .add("window_end", DateType, false)
          .add("window_cmp_start", DateType, true)
          .add("window_cmp_end", DateType, true)
          .add("granularity", StringType, false)
          .add("slice_key", StringType, false)
          .add("slice_value", StringType, false)
          .add("drift_type", StringType, false)
          .add("column_name", StringType, false)
          .add("data_type", StringType, false)
          .add("count", LongType, false)
          .add("count_delta", LongType, false)
          .add("null_rate_delta", DoubleType, true)
          .add("psi", DoubleType, true)
          .add("ks_statistic", DoubleType, true)
          .add("ks_pvalue", DoubleType, true)
          .add("js_distance", DoubleType, true)
          .add("wasserstein_distance", DoubleType, true)
          .add("chi_squared_statistic", DoubleType, true)
          .add("chi_squared_pvalue", DoubleType, true)
          .add("tv_distance", DoubleType, true)
          .add("l_infinity_distance", DoubleType, true)
          .add("new_categories", createArrayType(StringType, false), false)
          .add("missing_categories", createArrayType(StringType, false), false)
          .add("severity", StringType, false)
          .add("drift_detected", BooleanType, false)
          .add("threshold", StringType, true)
          .add("run_id", StringType, false)
          .add("created_ts", TimestampType, false);

  public static final StructType ALERTS =
      new StructType()
          .add("alert_id", StringType, false)
          .add("source", StringType, false)
          .add("severity", StringType, false)
          .add("model_name", StringType, false)
          .add("model_version", LongType, true)
          .add("window_start", DateType, true)
          .add("window_end", DateType, true)
          .add("column_name", StringType, true)
          .add("metric", StringType, false)
          .add("value", DoubleType, true)
          .add("threshold", StringType, true)
          .add("action", StringType, false)
          .add("run_id", StringType, false)
          .add("at", TimestampType, false);

  /** The categories shown as a categorical column's frequent items. */
  public static final int FREQUENT_ITEMS = 5;

  /** A profiled window: its first and last day and its granularity ({@code 1d}, {@code 1w}). */
  public record Window(LocalDate start, LocalDate end, String granularity) {}

  private DriftRecords() {}

  public static Row profileRow(
      String model, Window window, WindowProfile p, String runId, Instant at) {
    ColumnProfile c = p.profile();
    Optional<NumericStats> s = c.stats();
    List<Row> histogram = new ArrayList<>();
    for (Bin b : c.bins()) {
      boolean range = b.category().isEmpty();
      histogram.add(
          RowFactory.create(
              b.index(),
              range ? b.lower() : null,
              range ? b.upper() : null,
              b.category().orElse(null),
              b.count(),
              b.share()));
    }
    List<String> frequent =
        c.kind() == Kind.NUMERIC
            ? List.of()
            : c.bins().stream()
                .filter(
                    b -> b.count() > 0 && !b.category().orElseThrow().equals(ColumnProfile.OTHER))
                .sorted(Comparator.comparingLong(Bin::count).reversed())
                .limit(FREQUENT_ITEMS)
                .map(b -> b.category().orElseThrow())
                .toList();
    return RowFactory.create(
        model,
        p.modelVersion(),
        Date.valueOf(window.start()),
        Date.valueOf(window.end()),
        window.granularity(),
        p.sliceKey(),
        p.sliceValue(),
        c.name(),
        c.kind().value(),
        c.dataType(),
        c.rowCount(),
        c.nullCount(),
        c.nanCount(),
        s.map(NumericStats::mean).map(DriftRecords::number).orElse(null),
        s.map(NumericStats::stddev).map(DriftRecords::number).orElse(null),
        s.map(NumericStats::min).map(DriftRecords::number).orElse(null),
        s.map(NumericStats::max).map(DriftRecords::number).orElse(null),
        p.quantiles().toArray(),
        p.distinctCount(),
        frequent.toArray(),
        p.unseenCategories().toArray(),
        histogram.toArray(),
        runId,
        Timestamp.from(at));
  }

  /** A {@code profile_metrics} row read back: the inverse of {@link #profileRow}. */
  public static WindowProfile readProfile(Row r) {
    Kind kind = Kind.valueOf(r.<String>getAs("column_kind").toUpperCase(Locale.ROOT));
    List<Bin> bins = new ArrayList<>();
    for (Row b : r.<Row>getList(r.fieldIndex("histogram"))) {
      String category = b.getAs("category");
      bins.add(
          new Bin(
              b.getAs("bin_index"),
              category == null ? b.<Double>getAs("lower") : Double.NaN,
              category == null ? b.<Double>getAs("upper") : Double.NaN,
              Optional.ofNullable(category),
              b.getAs("count"),
              b.getAs("share")));
    }
    Optional<NumericStats> stats =
        NumericStats.of(r.getAs("avg"), r.getAs("stddev"), r.getAs("min"), r.getAs("max"));
    long distinct = r.getAs("distinct_count");
    ColumnProfile profile =
        new ColumnProfile(
            r.getAs("column_name"),
            kind,
            r.getAs("data_type"),
            r.getAs("count"),
            r.getAs("num_nulls"),
            r.getAs("num_nan"),
            stats,
            kind == Kind.NUMERIC ? OptionalLong.empty() : OptionalLong.of(distinct),
            bins);
    return new WindowProfile(
        r.getAs("model_version"),
        r.getAs("slice_key"),
        r.getAs("slice_value"),
        profile,
        r.<Double>getList(r.fieldIndex("quantiles")),
        distinct,
        r.<String>getList(r.fieldIndex("unseen_categories")));
  }

  /**
   * A {@code drift_metrics} row; {@code compared} is the previous window of a CONSECUTIVE
   * comparison (empty for BASELINE).
   */
  public static Row driftRow(
      String model,
      Window window,
      Optional<Window> compared,
      Result result,
      String runId,
      Instant at) {
    WindowProfile w = result.window();
    return RowFactory.create(
        model,
        w.modelVersion(),
        Date.valueOf(window.start()),
        Date.valueOf(window.end()),
        compared.map(c -> Date.valueOf(c.start())).orElse(null),
        compared.map(c -> Date.valueOf(c.end())).orElse(null),
        window.granularity(),
        w.sliceKey(),
        w.sliceValue(),
        result.driftType(),
        w.profile().name(),
        w.profile().dataType(),
        w.profile().rowCount(),
        result.countDelta(),
        number(result.nullRateDelta()),
        number(result.psi()),
        number(result.ksStatistic()),
        number(result.ksPValue()),
        number(result.jsDistance()),
        number(result.wasserstein()),
        number(result.chiSquared()),
        number(result.chiSquaredPValue()),
        number(result.tvDistance()),
        number(result.lInfinity()),
        result.newCategories().toArray(),
        result.missingCategories().toArray(),
        result.verdict().severity().value(),
        result.verdict().severity() == DriftPolicy.Severity.ALERT,
        result.verdict().reasons().isEmpty() ? null : String.join("; ", result.verdict().reasons()),
        runId,
        Timestamp.from(at));
  }

  /** Null for NaN or infinity: an undefined statistic. */
  private static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
