/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static dev.sluice.model.ModelEvaluation.checkArgument;
import static dev.sluice.model.ModelEvaluation.column;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.model.ProfiledColumn.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The per-column drift baseline of a model's training data (table {@code model_baselines}).
 *
 * <h2>Numeric columns</h2>
 *
 * Values are read as doubles. <b>Values</b> below means the non-null, non-NaN values.
 *
 * <ul>
 *   <li><b>Edges.</b> With {@code bins = B}, the inner edges are the distinct finite values among
 *       the quantiles {@code k / B}, {@code k = 1 .. B-1}, of the values, in ascending order. A
 *       quantile is Spark's {@code percentile_approx} at accuracy {@value #QUANTILE_ACCURACY}: on
 *       fewer than about 5,000 values it is exact, the value of 1-based rank {@code ceil(k / B *
 *       n)} in sorted order. Equal quantiles collapse, so a column has at most {@code B} bins; an
 *       infinite quantile is dropped (infinite values then fall in the first or last bin).
 *   <li><b>Bins.</b> Inner edges {@code e_1 < .. < e_m} make {@code m + 1} bins {@code [-Infinity,
 *       e_1), [e_1, e_2), .., [e_m, +Infinity]}: Spark's {@code Bucketizer} convention with splits
 *       {@code -Infinity, e_1, .., e_m, +Infinity}, so a value's bin is the number of edges {@code
 *       <=} it ({@link #binIndex(double[], double)}). A constant column {@code c} has one edge and
 *       two bins, {@code [-Infinity, c)} (empty) and {@code [c, +Infinity]}.
 *   <li><b>Counts and shares.</b> Each bin counts the values in it; its share is that count over
 *       the number of values. Null and NaN rows are in no bin: they are counted in {@code
 *       null_count} and {@code nan_count}.
 *   <li><b>Stats.</b> {@code row_count} counts all rows; {@code null_rate = null_count /
 *       row_count}; mean, sample standard deviation, min and max are over the values (stddev is NaN
 *       for a single value).
 *   <li><b>No values</b> (every row null or NaN): no edges, one bin {@code [-Infinity, +Infinity]}
 *       with count 0 and share 0, and no stats.
 * </ul>
 *
 * <h2>Categorical columns</h2>
 *
 * Values (string, boolean or integral) are read as strings. The top K categories by count, ties
 * broken by category ascending, are bins {@code 0 .. k-1} ({@code k <= K}, the number of distinct
 * values if smaller); bin {@code k} is {@value ColumnProfile#OTHER}, counting every other non-null
 * row, present even with count 0. Shares are over the non-null rows (0 when there are none), so
 * they sum to 1. {@code distinct_count} is the exact number of distinct non-null values. A real
 * category named {@value ColumnProfile#OTHER} stays a category of its own; the other bin is always
 * the last.
 *
 * <h2>Cost</h2>
 *
 * Two passes over {@code data} whatever the number of columns: one aggregation for every column's
 * stats and quantiles, then one for every bin and category count (each row is exploded to one
 * (column, bin or category) pair per column and grouped). Top-K is chosen on the executors, per
 * column, so only {@code K} categories per column reach the driver; the categories of one column
 * are ranked by one task. Cache {@code data} first if it is expensive to compute.
 */
public final class BaselineProfile {
  /** percentile_approx's accuracy: relative rank error 1 / accuracy. */
  public static final int QUANTILE_ACCURACY = 10_000;

  private static final String COLUMN = "column";
  private static final String BIN = "bin";
  private static final String CATEGORY = "category";
  private static final String COUNT = "count";
  private static final String RANK = "rank";
  private static final String DISTINCT = "distinct";
  private static final Set<DataType> CATEGORICAL_TYPES =
      Set.of(
          DataTypes.StringType,
          DataTypes.BooleanType,
          DataTypes.ByteType,
          DataTypes.ShortType,
          DataTypes.IntegerType,
          DataTypes.LongType);

  private BaselineProfile() {}

  /**
   * Profiles {@code columns} of {@code data} as the class documentation defines.
   *
   * @return one profile per column, in the order of {@code columns}
   * @throws IllegalArgumentException if {@code columns} is empty, names a column twice, names a
   *     missing column or one of the wrong type, or if {@code data} has no rows
   */
  public static List<ColumnProfile> compute(
      Dataset<Row> data, List<ProfiledColumn> columns, BaselineSettings settings) {
    validate(data.schema(), columns);
    Row stats = data.agg(count(lit(1)).as("rows"), statsColumns(columns, settings.bins())).first();
    long rows = stats.getAs("rows");
    checkArgument(rows > 0, "Cannot profile: no rows");
    double[][] edges = new double[columns.size()][];
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).kind() == Kind.NUMERIC) {
        edges[i] = innerEdges(stats, "q_" + i);
      }
    }
    Map<Integer, List<Row>> counts = counts(data, columns, edges, settings.topK());
    List<ColumnProfile> profiles = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      ProfiledColumn c = columns.get(i);
      String type = data.schema().apply(c.name()).dataType().simpleString();
      List<Row> groups = counts.getOrDefault(i, List.of());
      profiles.add(
          c.kind() == Kind.NUMERIC
              ? numeric(c.name(), type, stats, i, edges[i], groups)
              : categorical(c.name(), type, stats, i, groups));
    }
    return List.copyOf(profiles);
  }

  /**
   * The bin of {@code value} among bins split by {@code edges} (ascending, distinct inner edges):
   * the number of edges {@code <=} value, from 0 to {@code edges.length}. This is Spark's {@code
   * Bucketizer} with splits {@code -Infinity, edges.., +Infinity}, except that {@code -0.0} counts
   * as {@code 0.0}, as in SQL comparisons (Bucketizer puts it below an edge {@code 0.0}).
   *
   * @throws IllegalArgumentException if {@code value} is NaN (NaN is counted apart, in no bin)
   */
  public static int binIndex(double[] edges, double value) {
    checkArgument(!Double.isNaN(value), "Cannot bin NaN: NaN values are in no bin");
    // The first edge above value, by primitive comparison (-0.0 == 0.0, as in SQL); drift calls
    // this for every value of a window, where Arrays.binarySearch's Double.compare cost more.
    int low = 0;
    int high = edges.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (edges[mid] <= value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * The Spark expression of {@link #binIndex(double[], double)}: an int column, null where {@code
   * value} is null. The caller maps NaN to null first.
   */
  public static Column binIndex(Column value, double[] edges) {
    if (edges.length == 0) {
      return when(value.isNotNull(), lit(0));
    }
    Column bin = when(value.lt(edges[0]), lit(0));
    for (int j = 1; j < edges.length; j++) {
      bin = bin.when(value.lt(edges[j]), lit(j));
    }
    return when(value.isNotNull(), bin.otherwise(lit(edges.length)));
  }

  /** The column as double, with NaN as null: the values that are binned. */
  private static Column values(String name) {
    Column x = column(name).cast(DataTypes.DoubleType);
    return when(not(isnan(x)), x); // isnan(null) is false, so null stays null
  }

  private static Column[] statsColumns(List<ProfiledColumn> columns, int bins) {
    Column[] quantiles = new Column[bins - 1];
    for (int k = 1; k < bins; k++) {
      quantiles[k - 1] = lit((double) k / bins);
    }
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name();
      aggs.add(count(when(column(name).isNull(), lit(1))).as("nulls_" + i));
      if (columns.get(i).kind() == Kind.NUMERIC) {
        Column v = values(name);
        aggs.add(
            count(when(isnan(column(name).cast(DataTypes.DoubleType)), lit(1))).as("nans_" + i));
        aggs.add(avg(v).as("mean_" + i));
        aggs.add(stddev_samp(v).as("sd_" + i));
        aggs.add(min(v).as("min_" + i));
        aggs.add(max(v).as("max_" + i));
        aggs.add(percentile_approx(v, array(quantiles), lit(QUANTILE_ACCURACY)).as("q_" + i));
      }
    }
    return aggs.toArray(Column[]::new);
  }

  /** Distinct finite quantiles, ascending, -0.0 as 0.0; none if the column has no values. */
  private static double[] innerEdges(Row stats, String field) {
    int at = stats.fieldIndex(field);
    TreeSet<Double> edges = new TreeSet<>();
    if (!stats.isNullAt(at)) {
      for (Object q : stats.getList(at)) {
        double edge = (Double) q + 0.0;
        if (Double.isFinite(edge)) {
          edges.add(edge);
        }
      }
    }
    return edges.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Per column index, its (bin, count) rows (numeric) or its top-K (category, count, rank,
   * distinct) rows (categorical), from one aggregation over (column, bin or category) pairs.
   */
  private static Map<Integer, List<Row>> counts(
      Dataset<Row> data, List<ProfiledColumn> columns, double[][] edges, int topK) {
    Column[] pairs = new Column[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ProfiledColumn c = columns.get(i);
      boolean numeric = c.kind() == Kind.NUMERIC;
      pairs[i] =
          struct(
              lit(i).as(COLUMN),
              (numeric ? binIndex(values(c.name()), edges[i]) : lit(null)).cast("int").as(BIN),
              (numeric ? lit(null) : column(c.name())).cast("string").as(CATEGORY));
    }
    List<Row> collected =
        data.select(explode(array(pairs)).as("pair"))
            .select("pair.*")
            .where(col(BIN).isNotNull().or(col(CATEGORY).isNotNull()))
            .groupBy(COLUMN, BIN, CATEGORY)
            .agg(count(lit(1)).as(COUNT))
            .withColumn(
                RANK,
                row_number()
                    .over(
                        Window.partitionBy(COLUMN).orderBy(col(COUNT).desc(), col(CATEGORY).asc())))
            .withColumn(DISTINCT, count(lit(1)).over(Window.partitionBy(COLUMN)))
            .where(col(BIN).isNotNull().or(col(RANK).leq(topK)))
            .collectAsList();
    Map<Integer, List<Row>> byColumn = new HashMap<>();
    for (Row r : collected) {
      byColumn.computeIfAbsent(r.<Integer>getAs(COLUMN), k -> new ArrayList<>()).add(r);
    }
    return byColumn;
  }

  private static ColumnProfile numeric(
      String name, String type, Row stats, int i, double[] edges, List<Row> groups) {
    long rows = stats.getAs("rows");
    long nulls = stats.getAs("nulls_" + i);
    long nans = stats.getAs("nans_" + i);
    long values = rows - nulls - nans;
    long[] counts = new long[edges.length + 1];
    for (Row r : groups) {
      counts[r.<Integer>getAs(BIN)] = r.getAs(COUNT);
    }
    List<Bin> bins = new ArrayList<>();
    for (int b = 0; b <= edges.length; b++) {
      double lower = b == 0 ? Double.NEGATIVE_INFINITY : edges[b - 1];
      double upper = b == edges.length ? Double.POSITIVE_INFINITY : edges[b];
      bins.add(Bin.range(b, lower, upper, counts[b], share(counts[b], values)));
    }
    Optional<NumericStats> moments = Optional.empty();
    if (values > 0) {
      moments =
          NumericStats.of(
              stats.getAs("mean_" + i),
              stats.getAs("sd_" + i),
              stats.getAs("min_" + i),
              stats.getAs("max_" + i));
    }
    return new ColumnProfile(
        name, Kind.NUMERIC, type, rows, nulls, nans, moments, OptionalLong.empty(), bins);
  }

  private static ColumnProfile categorical(
      String name, String type, Row stats, int i, List<Row> groups) {
    long rows = stats.getAs("rows");
    long nulls = stats.getAs("nulls_" + i);
    long nonNull = rows - nulls;
    List<Row> top = new ArrayList<>(groups);
    top.sort((a, b) -> Integer.compare(a.getAs(RANK), b.getAs(RANK)));
    List<Bin> bins = new ArrayList<>();
    long inTop = 0;
    for (Row r : top) {
      long count = r.getAs(COUNT);
      bins.add(Bin.category(bins.size(), r.getAs(CATEGORY), count, share(count, nonNull)));
      inTop += count;
    }
    long other = nonNull - inTop;
    bins.add(Bin.category(bins.size(), ColumnProfile.OTHER, other, share(other, nonNull)));
    long distinct = top.isEmpty() ? 0 : top.get(0).<Long>getAs(DISTINCT);
    return new ColumnProfile(
        name,
        Kind.CATEGORICAL,
        type,
        rows,
        nulls,
        0,
        Optional.empty(),
        OptionalLong.of(distinct),
        bins);
  }

  private static double share(long count, long total) {
    return total == 0 ? 0.0 : (double) count / total;
  }

  private static void validate(StructType schema, List<ProfiledColumn> columns) {
    checkArgument(!columns.isEmpty(), "Cannot profile: no columns");
    Set<String> seen = new HashSet<>();
    Set<String> names = new HashSet<>(Arrays.asList(schema.fieldNames()));
    for (ProfiledColumn c : columns) {
      checkArgument(seen.add(c.name()), "Cannot profile: column %s is listed twice", c.name());
      checkArgument(
          names.contains(c.name()), "Cannot profile: no column %s among %s", c.name(), names);
      DataType type = schema.apply(c.name()).dataType();
      boolean fits =
          c.kind() == Kind.NUMERIC ? type instanceof NumericType : CATEGORICAL_TYPES.contains(type);
      checkArgument(
          fits,
          "Cannot profile %s as %s: its type is %s",
          c.name(),
          c.kind().value(),
          type.simpleString());
    }
  }
}
