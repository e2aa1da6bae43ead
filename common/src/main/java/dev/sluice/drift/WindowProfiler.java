/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static com.google.common.base.Preconditions.checkArgument;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.column;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.drift.WindowCounts.Buffer;
import dev.sluice.drift.WindowCounts.Counts;
import dev.sluice.drift.WindowCounts.Group;
import dev.sluice.model.BaselineProfile;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.types.DataTypes;
import scala.Function0;
import scala.Option;

/**
 * Profiles a window of rows (scoring inputs with their scores) on each model version's baseline
 * bins, per slice, in <b>one pass</b>: every column's counts, moments, quantiles, distinct count
 * and histogram for every (version, slice) come from a single read of the window, never a job per
 * column or per statistic.
 *
 * <ul>
 *   <li><b>Slices.</b> Every row counts in the slice {@code (all, all)} and, for each slicing
 *       expression {@code name -> expr}, in {@code (name, string value of expr)} ({@code "null"}
 *       for a null value).
 *   <li><b>Bins.</b> A numeric value (cast to double, NaN counted apart) falls in the bin of {@link
 *       BaselineProfile#binIndex(double[], double)} on the version's edges; a categorical value (as
 *       a string) in its named category's bin, else in the baseline's {@value ColumnProfile#OTHER}
 *       bin. The bins are the baseline's, so the histograms of the baseline, of this window and of
 *       the previous window compare bin by bin.
 *   <li><b>Shares</b> are counts over the binned values (non-null, non-NaN), as in the baseline.
 * </ul>
 *
 * <p>Each partition of the projected window (version, slice values, columns) folds its rows into
 * per-(version, slice) buffers of {@link WindowCounts}: the row count and, per column, null, NaN
 * and value counts, moments, min, max, histogram, the quantile and distinct count sketches and the
 * unseen categories, each value handled once; the driver merges the partitions' buffers.
 */
public final class WindowProfiler {
  /** The slice key and value of the slice holding every row. */
  public static final String ALL = "all";

  /** The quantiles recorded for a numeric column. */
  public static final List<Double> QUANTILES = List.of(0.05, 0.25, 0.5, 0.75, 0.95);

  /** The most unseen categories recorded per column and window. */
  public static final int MAX_UNSEEN = 20;

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
    // One projection: the version, each slice's value, each column's value.
    List<String> sliceNames = List.copyOf(slices.keySet());
    List<String> names = List.copyOf(columns.keySet());
    List<Column> projected = new ArrayList<>();
    projected.add(col(versionColumn).cast(DataTypes.LongType));
    slices.forEach(
        (name, expr) -> projected.add(coalesce(expr.cast(DataTypes.StringType), lit("null"))));
    for (String name : names) {
      projected.add(
          column(name)
              .cast(
                  columns.get(name) == Kind.NUMERIC ? DataTypes.DoubleType : DataTypes.StringType));
    }

    WindowCounts counts = new WindowCounts(baselines, sliceNames, names);
    // The rows as Spark's InternalRows (what Dataset.rdd() reads before turning them into Rows), in
    // one SQL execution of their own, as an action on the Dataset would run: the Spark UI shows the
    // query, and its jobs carry the session's SQL conf.
    QueryExecution query = window.select(projected.toArray(Column[]::new)).queryExecution();
    Function0<List<byte[]>> pass =
        () -> query.toRdd().toJavaRDD().mapPartitions(counts::countPartition).collect();
    List<byte[]> partitions =
        SQLExecution.withNewExecutionId(query, Option.apply("sluice drift profile"), pass);
    Map<Group, Buffer> groups = counts.merge(partitions);

    List<WindowProfile> profiles = new ArrayList<>();
    for (Group g : sorted(groups.keySet(), sliceNames)) {
      List<ColumnProfile> baseline = baselines.get(g.version());
      if (baseline == null) {
        continue; // a version without a baseline is not profiled (the caller reports it)
      }
      Buffer buffer = groups.get(g);
      List<Counts> columnCounts = counts.finish(g, buffer);
      for (ColumnProfile b : baseline) {
        String type = window.schema().apply(b.name()).dataType().simpleString();
        profiles.add(
            windowProfile(g, buffer.rows, columnCounts.get(names.indexOf(b.name())), b, type));
      }
    }
    return List.copyOf(profiles);
  }

  private static WindowProfile windowProfile(
      Group g, long rows, Counts counts, ColumnProfile baseline, String type) {
    boolean numeric = baseline.kind() == Kind.NUMERIC;
    List<Bin> bins = new ArrayList<>();
    for (Bin b : baseline.bins()) {
      long count = counts.histogram()[b.index()];
      double share = counts.values() == 0 ? 0.0 : (double) count / counts.values();
      bins.add(new Bin(b.index(), b.lower(), b.upper(), b.category(), count, share));
    }
    Optional<NumericStats> stats =
        counts.mean() == null
            ? Optional.empty()
            : NumericStats.of(counts.mean(), counts.stddev(), counts.min(), counts.max());
    ColumnProfile profile =
        new ColumnProfile(
            baseline.name(),
            baseline.kind(),
            type,
            rows,
            counts.nulls(),
            counts.nans(),
            stats,
            numeric ? OptionalLong.empty() : OptionalLong.of(counts.distinct()),
            bins);
    return new WindowProfile(
        g.version(),
        g.key(),
        g.value(),
        profile,
        counts.quantiles(),
        counts.distinct(),
        counts.unseen());
  }

  /** Groups ordered by version, slice (all first, then in the given order), slice value. */
  private static List<Group> sorted(Collection<Group> groups, List<String> slices) {
    List<String> order = new ArrayList<>();
    order.add(ALL);
    order.addAll(slices);
    return groups.stream()
        .sorted(
            Comparator.comparingLong(Group::version)
                .thenComparingInt(g -> order.indexOf(g.key()))
                .thenComparing(Group::value))
        .toList();
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
