/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.model.BaselineProfile;
import dev.sluice.model.BaselineSettings;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ProfiledColumn;
import dev.sluice.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link WindowProfiler} against the same counts made plainly in Java: for every version and slice,
 * each value is binned with {@link BaselineProfile#binIndex(double[], double)} or by category.
 */
class TestWindowProfiler extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("model_version", DataTypes.LongType)
          .add("x", DataTypes.DoubleType)
          .add("plan", DataTypes.StringType)
          .add("region", DataTypes.StringType);

  @Test
  void countsEveryVersionAndSliceOnItsOwnBaselineBins() throws Exception {
    Random random = new Random(11);
    List<Row> training = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      training.add(
          RowFactory.create(1L, random.nextGaussian(), pick(random, "basic", "pro"), "eu"));
    }
    Map<Long, List<ColumnProfile>> baselines = new LinkedHashMap<>();
    baselines.put(1L, baseline(training, 5));
    baselines.put(2L, baseline(training, 3)); // another version, other bins
    List<Row> window = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long version = i % 3 == 0 ? 2L : 1L;
      Double x = i % 17 == 0 ? null : i % 19 == 0 ? Double.NaN : random.nextGaussian() + 0.5;
      String plan = i % 13 == 0 ? null : pick(random, "basic", "pro", "team", "edu");
      window.add(RowFactory.create(version, x, plan, pick(random, "eu", "us")));
    }
    Dataset<Row> frame = spark.createDataFrame(window, SCHEMA).repartition(3);
    Map<String, Column> slices = new LinkedHashMap<>();
    slices.put("region", col("region"));

    List<List<WindowProfile>> result = new ArrayList<>();
    int[] profiling =
        jobsAndQueries(
            () -> result.add(WindowProfiler.profile(frame, "model_version", baselines, slices)));
    int[] pass = jobsAndQueries(() -> frame.queryExecution().toRdd().count());
    assertThat(profiling[1]).as("every column, slice and version from one SQL query").isEqualTo(1);
    assertThat(profiling[0])
        .as("the profile's Spark jobs are those of one pass over the window")
        .isEqualTo(pass[0]);
    List<WindowProfile> profiles = result.get(0);

    // 2 versions x (all + eu + us) x 2 columns
    assertThat(profiles).hasSize(12);
    for (WindowProfile p : profiles) {
      List<Row> rows =
          window.stream()
              .filter(r -> r.getLong(0) == p.modelVersion())
              .filter(r -> p.sliceKey().equals("all") || r.getString(3).equals(p.sliceValue()))
              .toList();
      ColumnProfile base =
          baselines.get(p.modelVersion()).stream()
              .filter(b -> b.name().equals(p.profile().name()))
              .findFirst()
              .orElseThrow();
      assertThat(p.profile().rowCount()).isEqualTo(rows.size());
      long[] expected = new long[base.bins().size()];
      if (p.profile().name().equals("x")) {
        List<Double> values = new ArrayList<>();
        long nulls = 0;
        long nans = 0;
        for (Row r : rows) {
          if (r.isNullAt(1)) {
            nulls++;
          } else if (Double.isNaN(r.getDouble(1))) {
            nans++;
          } else {
            values.add(r.getDouble(1));
            expected[BaselineProfile.binIndex(base.innerEdges(), r.getDouble(1))]++;
          }
        }
        assertThat(p.profile().nullCount()).isEqualTo(nulls);
        assertThat(p.profile().nanCount()).isEqualTo(nans);
        double mean = values.stream().mapToDouble(v -> v).average().orElseThrow();
        assertThat(p.profile().stats().orElseThrow().mean()).isCloseTo(mean, within(1e-9));
        assertThat(p.profile().stats().orElseThrow().min())
            .isEqualTo(values.stream().mapToDouble(v -> v).min().orElseThrow());
        assertThat(p.profile().stats().orElseThrow().max())
            .isEqualTo(values.stream().mapToDouble(v -> v).max().orElseThrow());
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        assertThat(p.profile().stats().orElseThrow().stddev())
            .as("sample standard deviation")
            .isCloseTo(Math.sqrt(squares / (values.size() - 1)), within(1e-9));
        double[] sorted = values.stream().mapToDouble(v -> v).sorted().toArray();
        // KLL is exact up to k values: the quantile q is the value preceded by q * n values
        List<Double> quantiles =
            WindowProfiler.QUANTILES.stream()
                .map(q -> sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))])
                .toList();
        assertThat(p.quantiles()).containsExactlyElementsOf(quantiles);
        assertThat(p.distinctCount())
            .as("distinct values of x (HLL, exact-ish on few values)")
            .isCloseTo(Arrays.stream(sorted).distinct().count(), within(1L));
      } else {
        List<String> named =
            base.bins().stream()
                .map(b -> b.category().orElseThrow())
                .filter(c -> !c.equals(ColumnProfile.OTHER))
                .toList();
        long nulls = 0;
        List<String> unseen = new ArrayList<>();
        for (Row r : rows) {
          if (r.isNullAt(2)) {
            nulls++;
            continue;
          }
          int bin = named.indexOf(r.getString(2));
          expected[bin >= 0 ? bin : base.bins().size() - 1]++;
          if (bin < 0 && !unseen.contains(r.getString(2))) {
            unseen.add(r.getString(2));
          }
        }
        unseen.sort(null);
        long distinct =
            rows.stream().filter(r -> !r.isNullAt(2)).map(r -> r.getString(2)).distinct().count();
        assertThat(p.distinctCount()).as("distinct plans").isEqualTo(distinct);
        assertThat(p.profile().nullCount()).isEqualTo(nulls);
        assertThat(p.unseenCategories()).containsExactlyElementsOf(unseen);
      }
      assertThat(p.profile().bins().stream().mapToLong(ColumnProfile.Bin::count).toArray())
          .as(
              "histogram of %s v%d %s=%s",
              p.profile().name(), p.modelVersion(), p.sliceKey(), p.sliceValue())
          .containsExactly(expected);
    }
    assertThat(profiles.get(0).unseenCategories()).isEmpty(); // x is numeric
    assertThat(
            profiles.stream()
                .filter(p -> p.profile().name().equals("plan"))
                .flatMap(p -> p.unseenCategories().stream())
                .distinct()
                .sorted()
                .toList())
        .as("team and edu were never in training")
        .containsExactly("edu", "team");
  }

  @Test
  void anAllNullColumnHasNoValuesAndEmptyBins() {
    List<Row> training =
        List.of(RowFactory.create(1L, 1.0, "basic", "eu"), RowFactory.create(1L, 2.0, "pro", "eu"));
    Map<Long, List<ColumnProfile>> baselines = Map.of(1L, baseline(training, 4));
    List<Row> window =
        List.of(RowFactory.create(1L, null, null, "eu"), RowFactory.create(1L, null, null, "eu"));
    List<WindowProfile> profiles =
        WindowProfiler.profile(
            spark.createDataFrame(window, SCHEMA), "model_version", baselines, Map.of());
    WindowProfile x = profiles.get(0);
    assertThat(x.profile().nullCount()).isEqualTo(2);
    assertThat(x.profile().stats()).isEmpty();
    assertThat(x.quantiles()).isEmpty();
    assertThat(Arrays.stream(x.sample().counts()).sum()).isZero();
    assertThat(x.sample().range()).isEmpty();
  }

  @Test
  void keepsTheAlphabeticallyFirstUnseenCategoriesAcrossPartitions() {
    List<Row> training =
        List.of(RowFactory.create(1L, 1.0, "basic", "eu"), RowFactory.create(1L, 2.0, "pro", "eu"));
    Map<Long, List<ColumnProfile>> baselines = Map.of(1L, baseline(training, 4));
    List<Row> window = new ArrayList<>();
    List<String> unseen = new ArrayList<>();
    for (int i = 0; i < 3 * WindowProfiler.MAX_UNSEEN; i++) {
      String plan = String.format("plan-%03d", (i * 37) % 100); // distinct, not in order
      unseen.add(plan);
      window.add(RowFactory.create(1L, (double) i, plan, "eu"));
      window.add(RowFactory.create(1L, (double) i, "basic", "eu"));
    }
    unseen.sort(null);
    WindowProfile plan =
        WindowProfiler.profile(
                spark.createDataFrame(window, SCHEMA).repartition(4),
                "model_version",
                baselines,
                Map.of())
            .get(1);
    assertThat(plan.profile().name()).isEqualTo("plan");
    assertThat(plan.unseenCategories())
        .containsExactlyElementsOf(unseen.subList(0, WindowProfiler.MAX_UNSEEN));
    assertThat(plan.distinctCount()).as("basic plus the unseen plans").isEqualTo(1 + unseen.size());
  }

  /** The Spark jobs and SQL queries {@code action} runs. */
  private static int[] jobsAndQueries(Runnable action) throws TimeoutException {
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger queries = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart event) {
            jobs.incrementAndGet();
          }

          @Override
          public void onOtherEvent(SparkListenerEvent event) {
            if (event instanceof SparkListenerSQLExecutionStart) {
              queries.incrementAndGet();
            }
          }
        };
    listening(listener, action);
    return new int[] {jobs.get(), queries.get()};
  }

  private static List<ColumnProfile> baseline(List<Row> rows, int bins) {
    return BaselineProfile.compute(
        spark.createDataFrame(rows, SCHEMA),
        List.of(ProfiledColumn.numeric("x"), ProfiledColumn.categorical("plan")),
        new BaselineSettings(bins, 2));
  }

  private static String pick(Random random, String... values) {
    return values[random.nextInt(values.length)];
  }
}
