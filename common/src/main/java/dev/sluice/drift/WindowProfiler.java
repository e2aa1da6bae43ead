/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static com.google.common.base.Preconditions.checkArgument;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.column;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udaf;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Profiles a window of rows (scoring inputs with their scores) on each model version's baseline
 * bins, per slice, with <b>one aggregation</b>: every column's counts, moments, quantiles, distinct
 * count and histogram for every (version, slice) come from a single {@code groupBy} over the
 * window, never a job per column or per statistic.
 *
 * <ul>
 *   <li><b>Slices.</b> Every row counts in the slice {@code (all, all)} and, for each slicing
 *       expression {@code name -> expr}, in {@code (name, string value of expr)} ({@code "null"}
 *       for a null value): the rows are exploded once into their slices before the aggregation.
 *   <li><b>Bins.</b> A numeric value (cast to double, NaN counted apart) falls in the bin of {@link
 *       BaselineProfile#binIndex(double[], double)} on the version's edges; a categorical value (as
 *       a string) in its named category's bin, else in the baseline's {@value ColumnProfile#OTHER}
 *       bin. The bins are the baseline's, so the histograms of the baseline, of this window and of
 *       the previous window compare bin by bin.
 *   <li><b>Shares</b> are counts over the binned values (non-null, non-NaN), as in the baseline.
 * </ul>
 *
 * <p>The aggregation holds, per (version, slice), the row count and one {@link WindowCounts} over
 * every column: null, NaN and value counts, moments, min, max, histogram, the quantile and distinct
 * count sketches and the unseen categories, each value handled once in one loop.
 */
public final class WindowProfiler {
  /** The slice key and value of the slice holding every row. */
  public static final String ALL = "all";

  /** The quantiles recorded for a numeric column. */
  public static final List<Double> QUANTILES = List.of(0.05, 0.25, 0.5, 0.75, 0.95);

  /** The most unseen categories recorded per column and window. */
  public static final int MAX_UNSEEN = 20;

  private static final String SLICE = "_slice";
  private static final String KEY = "key";
  private static final String VALUE = "value";
  private static final String VERSION = "_version";
  private static final String ROWS = "_rows";
  private static final String COUNTS = "_counts";

  private WindowProfiler() {}

  /**
   * The profiles of every baseline column of every version present in {@code window}.
   *
   * @param window the window's rows: the version column and every baseline column
   * @param versionColumn the model version column (long)
   * @param baselines each version's baseline, by column name (every version profiles the columns of
   *     its own baseline)
   * @param slices slicing expressions by slice name, in order
   * @return by version, slice (all first, then the slices in order, values ascending) and column
   *     (baseline order)
   */
  public static List<WindowProfile> profile(
      Dataset<Row> window,
      String versionColumn,
      Map<Long, List<ColumnProfile>> baselines,
      Map<String, Column> slices) {
    checkArgument(!baselines.isEmpty(), "Cannot profile: no baselines");
    Map<String, Kind> columns = columns(baselines);
    for (String name : columns.keySet()) {
      checkArgument(
          List.of(window.columns()).contains(name),
          "Cannot profile: the window has no column %s (columns: %s)",
          name,
          List.of(window.columns()));
    }
    List<Column> sliceStructs = new ArrayList<>();
    sliceStructs.add(struct(lit(ALL).as(KEY), lit(ALL).as(VALUE)));
    slices.forEach(
        (name, expr) ->
            sliceStructs.add(
                struct(
                    lit(name).as(KEY),
                    coalesce(expr.cast(DataTypes.StringType), lit("null")).as(VALUE))));

    // One projection: the version, the slice (exploded), each column's value.
    List<Column> projected = new ArrayList<>();
    projected.add(col(versionColumn).cast(DataTypes.LongType).as(VERSION));
    projected.add(explode(array(sliceStructs.toArray(Column[]::new))).as(SLICE));
    List<String> names = List.copyOf(columns.keySet());
    List<Column> counted = new ArrayList<>();
    counted.add(col(VERSION));
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Column raw = column(name);
      DataType type =
          columns.get(name) == Kind.NUMERIC ? DataTypes.DoubleType : DataTypes.StringType;
      projected.add(raw.cast(type).as("r_" + i));
      counted.add(col("r_" + i));
    }

    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(ROWS));
    aggregates.add(
        udaf(new WindowCounts(baselines, names), Encoders.row(WindowCounts.inputSchema(columns)))
            .apply(counted.toArray(Column[]::new))
            .as(COUNTS));

    List<Row> groups =
        window
            .select(projected.toArray(Column[]::new))
            .groupBy(
                col(VERSION), col(SLICE + "." + KEY).as(KEY), col(SLICE + "." + VALUE).as(VALUE))
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .collectAsList();

    List<WindowProfile> profiles = new ArrayList<>();
    for (Row g : sorted(groups, slices)) {
      long version = g.getAs(VERSION);
      List<ColumnProfile> baseline = baselines.get(version);
      if (baseline == null) {
        continue; // a version without a baseline is not profiled (the caller reports it)
      }
      for (ColumnProfile b : baseline) {
        int i = names.indexOf(b.name());
        String type = window.schema().apply(b.name()).dataType().simpleString();
        profiles.add(windowProfile(g, i, version, b, type));
      }
    }
    return List.copyOf(profiles);
  }

  private static WindowProfile windowProfile(
      Row g, int i, long version, ColumnProfile baseline, String type) {
    long rows = g.getAs(ROWS);
    Row counts = g.<Row>getAs(COUNTS).<Row>getList(0).get(i);
    long nulls = counts.getAs("nulls");
    long nans = counts.getAs("nans");
    long values = counts.getAs("values");
    boolean numeric = baseline.kind() == Kind.NUMERIC;
    List<Long> histogram = counts.getList(counts.fieldIndex("histogram"));
    List<Bin> bins = new ArrayList<>();
    for (Bin b : baseline.bins()) {
      long count = histogram.get(b.index());
      double share = values == 0 ? 0.0 : (double) count / values;
      bins.add(new Bin(b.index(), b.lower(), b.upper(), b.category(), count, share));
    }
    Optional<NumericStats> stats = Optional.empty();
    List<Double> quantiles = List.of();
    List<String> unseen = List.of();
    if (numeric && values > 0) {
      stats =
          NumericStats.of(
              counts.getAs("mean"),
              counts.getAs("stddev"),
              counts.getAs("min"),
              counts.getAs("max"));
      quantiles = counts.getList(counts.fieldIndex("quantiles"));
    }
    long distinct = counts.getAs("distinct");
    if (!numeric) {
      unseen = counts.getList(counts.fieldIndex("unseen"));
    }
    ColumnProfile profile =
        new ColumnProfile(
            baseline.name(),
            baseline.kind(),
            type,
            rows,
            nulls,
            nans,
            stats,
            numeric ? OptionalLong.empty() : OptionalLong.of(distinct),
            bins);
    return new WindowProfile(
        version, g.getAs(KEY), g.getAs(VALUE), profile, quantiles, distinct, unseen);
  }

  /** Groups ordered by version, slice (all first, then in the given order), slice value. */
  private static List<Row> sorted(List<Row> groups, Map<String, Column> slices) {
    List<String> order = new ArrayList<>();
    order.add(ALL);
    order.addAll(slices.keySet());
    List<Row> sorted = new ArrayList<>(groups);
    sorted.sort(
        java.util.Comparator.<Row>comparingLong(r -> r.getAs(VERSION))
            .thenComparingInt(r -> order.indexOf(r.<String>getAs(KEY)))
            .thenComparing(r -> r.<String>getAs(VALUE)));
    return sorted;
  }

  /** Every baseline column and its kind, in the order of first appearance. */
  private static Map<String, Kind> columns(Map<Long, List<ColumnProfile>> baselines) {
    Map<String, Kind> columns = new LinkedHashMap<>();
    baselines.values().stream()
        .flatMap(List::stream)
        .forEach(
            p -> {
              Kind known = columns.putIfAbsent(p.name(), p.kind());
              checkArgument(
                  known == null || known == p.kind(),
                  "Cannot profile %s: numeric in one baseline, categorical in another",
                  p.name());
            });
    return columns;
  }
}
