/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.model.ColumnProfile.Bin;
import dev.sluice.model.ColumnProfile.NumericStats;
import dev.sluice.testing.SparkTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestBaselineProfile extends SparkTestBase {
  private static final double TOLERANCE = 1e-9;

  @ParameterizedTest
  @ValueSource(ints = {4, 20})
  void numericBinsAndStatsMatchSortedValues(int bins) {
    Random random = new Random(bins);
    List<Double> column = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      column.add((double) random.nextInt(16) - 3.5); // many ties
    }
    column.addAll(Arrays.asList(null, null, Double.NaN, -0.0));

    ColumnProfile p =
        profileOne(column, ProfiledColumn.numeric("x"), new BaselineSettings(bins, 5));

    double[] values =
        column.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(v -> v).sorted().toArray();
    int n = values.length;
    TreeSet<Double> distinct = new TreeSet<>();
    for (int k = 1; k < bins; k++) {
      int rank = (int) Math.ceil((double) k / bins * n); // 1-based rank of the k/bins quantile
      distinct.add(values[rank - 1] + 0.0);
    }
    double[] edges = distinct.stream().mapToDouble(d -> d).toArray();
    assertThat(p.innerEdges()).as("edges").containsExactly(edges);
    assertThat(p.bins()).hasSize(edges.length + 1);
    for (int b = 0; b <= edges.length; b++) {
      double lower = b == 0 ? Double.NEGATIVE_INFINITY : edges[b - 1];
      double upper = b == edges.length ? Double.POSITIVE_INFINITY : edges[b];
      long count = 0;
      for (double v : values) {
        count += v >= lower && v < upper ? 1 : 0;
      }
      Bin bin = p.bins().get(b);
      assertThat(bin.index()).isEqualTo(b);
      assertThat(bin.lower()).isEqualTo(lower);
      assertThat(bin.upper()).isEqualTo(upper);
      assertThat(bin.count()).as("bin %s [%s, %s)", b, lower, upper).isEqualTo(count);
      assertThat(bin.share()).isCloseTo((double) count / n, within(TOLERANCE));
      assertThat(bin.category()).isEmpty();
    }

    double mean = Arrays.stream(values).sum() / n;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    assertThat(p.rowCount()).isEqualTo(column.size());
    assertThat(p.nullCount()).isEqualTo(2);
    assertThat(p.nanCount()).isEqualTo(1);
    assertThat(p.nullRate()).isEqualTo(2.0 / column.size());
    assertThat(p.distinctCount()).isEmpty();
    NumericStats stats = p.stats().orElseThrow();
    assertThat(stats.mean()).isCloseTo(mean, within(TOLERANCE));
    assertThat(stats.stddev()).isCloseTo(Math.sqrt(squares / (n - 1)), within(TOLERANCE));
    assertThat(stats.min()).isEqualTo(values[0]);
    assertThat(stats.max()).isEqualTo(values[n - 1]);
  }

  @Test
  void categoricalKeepsTopKWithTiesByNameAndCountsTheRest() {
    List<String> column = new ArrayList<>();
    Map<String, Integer> occurrences = Map.of("a", 5, "d", 3, "c", 3, "b", 3, "e", 1, "f", 1);
    occurrences.forEach((k, times) -> column.addAll(Collections.nCopies(times, k)));
    column.add(null);
    column.add(null);

    ColumnProfile p =
        profileOne(column, ProfiledColumn.categorical("k"), new BaselineSettings(20, 3));

    Map<String, Long> counts = new HashMap<>();
    column.stream().filter(v -> v != null).forEach(v -> counts.merge(v, 1L, Long::sum));
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    long nonNull = column.size() - 2;
    long inTop = 0;
    assertThat(p.bins()).hasSize(4);
    for (int b = 0; b < 3; b++) {
      Bin bin = p.bins().get(b);
      assertThat(bin.category()).as("rank %s", b).contains(ranked.get(b).getKey());
      assertThat(bin.count()).isEqualTo(ranked.get(b).getValue());
      assertThat(bin.share()).isCloseTo((double) bin.count() / nonNull, within(TOLERANCE));
      assertThat(bin.lower()).isNaN();
      inTop += bin.count();
    }
    Bin other = p.bins().get(3);
    assertThat(other.category()).contains(ColumnProfile.OTHER);
    assertThat(other.count()).isEqualTo(nonNull - inTop);
    assertThat(other.share()).isCloseTo((double) (nonNull - inTop) / nonNull, within(TOLERANCE));
    assertThat(p.distinctCount()).hasValue(counts.size());
    assertThat(p.nullRate()).isEqualTo(2.0 / column.size());
    assertThat(p.stats()).isEmpty();
  }

  @Test
  void otherIsPresentWithCountZeroWhenEveryCategoryFits() {
    ColumnProfile p =
        profileOne(
            Arrays.asList("x", "y", "x"),
            ProfiledColumn.categorical("k"),
            BaselineSettings.DEFAULTS);

    assertThat(p.bins())
        .extracting(b -> b.category().orElseThrow())
        .containsExactly("x", "y", "__other__");
    assertThat(p.bins().get(2).count()).isZero();
    assertThat(p.bins().get(2).share()).isZero();
  }

  @Test
  void allNullColumnsHaveOneEmptyBin() {
    List<Double> nulls = Arrays.asList(null, null, null);
    ColumnProfile numeric =
        profileOne(nulls, ProfiledColumn.numeric("x"), BaselineSettings.DEFAULTS);
    ColumnProfile categorical =
        profileOne(
            Arrays.asList((String) null, null),
            ProfiledColumn.categorical("k"),
            BaselineSettings.DEFAULTS);

    assertThat(numeric.bins())
        .containsExactly(Bin.range(0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0.0));
    assertThat(numeric.nullRate()).isEqualTo(1.0);
    assertThat(numeric.stats()).isEmpty();
    assertThat(categorical.bins()).containsExactly(Bin.category(0, ColumnProfile.OTHER, 0, 0.0));
    assertThat(categorical.nullRate()).isEqualTo(1.0);
    assertThat(categorical.distinctCount()).hasValue(0);
  }

  @Test
  void constantColumnSplitsAtItsValue() {
    ColumnProfile p =
        profileOne(
            List.of(2.5, 2.5, 2.5, 2.5), ProfiledColumn.numeric("x"), BaselineSettings.DEFAULTS);

    assertThat(p.bins())
        .containsExactly(
            Bin.range(0, Double.NEGATIVE_INFINITY, 2.5, 0, 0.0),
            Bin.range(1, 2.5, Double.POSITIVE_INFINITY, 4, 1.0));
    assertThat(p.stats()).contains(new NumericStats(2.5, 0.0, 2.5, 2.5));
  }

  @Test
  void singleRowHasUndefinedStddev() {
    ColumnProfile p =
        profileOne(List.of(7.0), ProfiledColumn.numeric("x"), BaselineSettings.DEFAULTS);

    assertThat(p.bins()).hasSize(2);
    assertThat(p.bins().get(1).count()).isEqualTo(1);
    assertThat(p.stats().orElseThrow().stddev()).isNaN();
    assertThat(p.rowCount()).isEqualTo(1);
  }

  @Test
  void nanValuesAreCountedApartFromBins() {
    ColumnProfile p =
        profileOne(
            Arrays.asList(1.0, Double.NaN, 3.0, Double.NaN, null),
            ProfiledColumn.numeric("x"),
            new BaselineSettings(2, 5));

    assertThat(p.nanCount()).isEqualTo(2);
    assertThat(p.nullCount()).isEqualTo(1);
    assertThat(p.bins().stream().mapToLong(Bin::count).sum()).as("binned values").isEqualTo(2);
    assertThat(p.innerEdges()).as("median of {1, 3}: rank ceil(0.5 * 2)").containsExactly(1.0);
    assertThat(p.stats()).contains(new NumericStats(2.0, Math.sqrt(2), 1.0, 3.0));
  }

  @Test
  void binIndexFollowsBucketizer() {
    double[] edges = {-1.0, 0.0, 2.5};
    List<Double> probes =
        List.of(
            Double.NEGATIVE_INFINITY,
            -3.0,
            -1.0,
            -0.5,
            -0.0,
            0.0,
            2.4,
            2.5,
            9.0,
            Double.POSITIVE_INFINITY);
    double[] splits = {Double.NEGATIVE_INFINITY, -1.0, 0.0, 2.5, Double.POSITIVE_INFINITY};
    StructType schema =
        DataTypes.createStructType(
            List.of(DataTypes.createStructField("v", DataTypes.DoubleType, false)));
    List<Row> rows = probes.stream().map(v -> RowFactory.create(v)).toList();
    Dataset<Row> bucketed =
        new Bucketizer()
            .setInputCol("v")
            .setOutputCol("bucket")
            .setSplits(splits)
            .transform(spark.createDataFrame(rows, schema))
            .withColumn("bin", BaselineProfile.binIndex(col("v"), edges));

    for (Row r : bucketed.collectAsList()) {
      double v = r.getDouble(0);
      int bin = BaselineProfile.binIndex(edges, v);
      assertThat(r.getInt(2)).as("Spark expression's bin of %s", v).isEqualTo(bin);
      if (Double.compare(v, -0.0) != 0) {
        assertThat(bin).as("bin of %s", v).isEqualTo((int) r.getDouble(1));
      }
    }
    assertThat(BaselineProfile.binIndex(edges, -0.0))
        .as("-0.0 is 0.0, as in SQL comparisons (Bucketizer puts it below an edge 0.0)")
        .isEqualTo(2);
    assertThatThrownBy(() -> BaselineProfile.binIndex(edges, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot bin NaN: NaN values are in no bin");
  }

  @Test
  void runsTheSameNumberOfJobsForThreeAndTwelveColumns() throws TimeoutException {
    Dataset<Row> data = wide(200);
    List<ProfiledColumn> three =
        List.of(
            ProfiledColumn.numeric("n0"),
            ProfiledColumn.numeric("n1"),
            ProfiledColumn.categorical("c0"));
    List<ProfiledColumn> twelve = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      twelve.add(ProfiledColumn.numeric("n" + i));
    }
    for (int i = 0; i < 4; i++) {
      twelve.add(ProfiledColumn.categorical("c" + i));
    }

    int jobsForThree =
        jobsOf("three", () -> BaselineProfile.compute(data, three, BaselineSettings.DEFAULTS));
    int jobsForTwelve =
        jobsOf("twelve", () -> BaselineProfile.compute(data, twelve, BaselineSettings.DEFAULTS));

    assertThat(jobsForThree).as("Spark jobs").isPositive().isEqualTo(jobsForTwelve);
  }

  @Test
  void rowsFitTheTableSchema() {
    Dataset<Row> data = wide(50);
    List<ColumnProfile> profiles =
        BaselineProfile.compute(
            data,
            List.of(ProfiledColumn.numeric("n0"), ProfiledColumn.categorical("c0")),
            BaselineSettings.DEFAULTS);

    List<Row> rows =
        BaselineRecords.toRows(
            profiles, "churn", 3L, "run-1", Instant.parse("2024-05-01T00:00:00Z"));
    Dataset<Row> table = spark.createDataFrame(rows, BaselineRecords.SCHEMA);

    long bins = profiles.stream().mapToLong(p -> p.bins().size()).sum();
    assertThat(table.count()).isEqualTo(bins);
    Row first = table.where("column_name = 'n0' AND bin_index = 0").first();
    assertThat(first.<Double>getAs("bin_lower")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(first.<String>getAs("column_kind")).isEqualTo("numeric");
    assertThat(first.<String>getAs("data_type")).isEqualTo("double");
    assertThat(first.<Object>getAs("distinct_count")).isNull();
    Row category = table.where("column_name = 'c0' AND bin_index = 0").first();
    assertThat(category.<Object>getAs("bin_lower")).isNull();
    assertThat(category.<Object>getAs("mean")).isNull();
    assertThat(category.<String>getAs("column_kind")).isEqualTo("categorical");
  }

  @Test
  void refusesAColumnOfTheWrongKind() {
    Dataset<Row> data = wide(5);

    assertThatThrownBy(
            () ->
                BaselineProfile.compute(
                    data, List.of(ProfiledColumn.numeric("c0")), BaselineSettings.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot profile c0 as numeric: its type is string");
  }

  /** Counts the Spark jobs that {@code body} starts, by a job group of its own. */
  private static int jobsOf(String group, Runnable body) throws TimeoutException {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart start) {
            if (group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
              jobs.incrementAndGet();
            }
          }
        };
    listening(
        listener,
        () -> {
          spark.sparkContext().setJobGroup(group, group, false);
          try {
            body.run();
          } finally {
            spark.sparkContext().clearJobGroup();
          }
        });
    return jobs.get();
  }

  /** Numeric columns n0..n7 (with ties) and string columns c0..c3. */
  private static Dataset<Row> wide(int rows) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      columns.add(col("id").mod(i + 3).cast("double").as("n" + i));
    }
    for (int i = 0; i < 4; i++) {
      columns.add(concat(lit("v"), col("id").mod(i + 2).cast("string")).as("c" + i));
    }
    return spark.range(rows).select(columns.toArray(Column[]::new));
  }

  private static <T> ColumnProfile profileOne(
      List<T> values, ProfiledColumn column, BaselineSettings settings) {
    boolean numeric = column.kind() == ProfiledColumn.Kind.NUMERIC;
    StructType schema =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField(
                    column.name(), numeric ? DataTypes.DoubleType : DataTypes.StringType, true)));
    List<Row> rows = values.stream().map(v -> RowFactory.create(v)).toList();
    List<ColumnProfile> profiles =
        BaselineProfile.compute(spark.createDataFrame(rows, schema), List.of(column), settings);
    assertThat(profiles).hasSize(1);
    return profiles.get(0);
  }
}
