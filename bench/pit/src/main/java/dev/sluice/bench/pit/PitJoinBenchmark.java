/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.pit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.row_number;

import dev.sluice.features.FeatureSource;
import dev.sluice.features.PointInTimeJoin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Times {@link PointInTimeJoin} against the naive inequality-join formulation.
 *
 * <p>For each size N of observations, N observations and {@code ratio}·N feature rows over a fixed
 * number of entities are generated in Spark and written once as Parquet; a timed run reads both,
 * joins and materializes the result with the {@code noop} format (every column is computed, none
 * written). The naive baseline joins on the key with {@code feature.event_ts <= obs_ts}, keeps the
 * latest feature row per observation with {@code row_number}, and is cancelled after a time limit.
 *
 * <p>Arguments, {@code key=value}: {@code sizes} (default {@code 250000,1000000,4000000}), {@code
 * entities} (50000), {@code ratio} (10), {@code repeats} (5: A B interleaved runs at sizes up to
 * 1M; 1 above, with the largest bracketed by runs at the size below it), {@code naive-limit-s}
 * (240), {@code partitions} (64, shuffle partitions), {@code dir} (a new temporary directory).
 */
public final class PitJoinBenchmark {
  private static final long SMALL = 1_000_000L;
  private static final long DAY_S = 86_400L;
  private static final long SPAN_S = 730 * DAY_S; // two years of event times

  private final SparkSession spark;
  private final Path dir;
  private final int entities;
  private final int ratio;
  private final long naiveLimitS;

  private PitJoinBenchmark(
      SparkSession spark, Path dir, int entities, int ratio, long naiveLimitS) {
    this.spark = spark;
    this.dir = dir;
    this.entities = entities;
    this.ratio = ratio;
    this.naiveLimitS = naiveLimitS;
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    long[] sizes =
        Arrays.stream(options.getOrDefault("sizes", "250000,1000000,4000000").split(","))
            .mapToLong(Long::parseLong)
            .toArray();
    int repeats = Integer.parseInt(options.getOrDefault("repeats", "5"));
    Path dir =
        options.containsKey("dir")
            ? Path.of(options.get("dir"))
            : Files.createTempDirectory("sluice-bench-pit");
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("pit-join-benchmark")
            .config("spark.ui.enabled", false)
            .config("spark.ui.showConsoleProgress", false)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", options.getOrDefault("partitions", "64"))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.local.dir", dir.resolve("spark-local").toString())
            .getOrCreate();
    PitJoinBenchmark bench =
        new PitJoinBenchmark(
            spark,
            dir,
            Integer.parseInt(options.getOrDefault("entities", "50000")),
            Integer.parseInt(options.getOrDefault("ratio", "10")),
            Long.parseLong(options.getOrDefault("naive-limit-s", "240")));
    System.out.printf(
        "cores=%d max-heap=%d MiB entities=%d ratio=%d dir=%s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        bench.entities,
        bench.ratio,
        dir);
    bench.run(sizes, repeats);
    spark.stop();
  }

  private void run(long[] sizes, int repeats) {
    Map<Long, List<Double>> pit = new HashMap<>();
    Map<Long, List<Double>> naive = new HashMap<>();
    Map<Long, String> naiveMissing = new HashMap<>();
    for (long n : sizes) {
      generate(n);
    }
    checkSameResult(sizes[0]);
    for (int s = 0; s < sizes.length; s++) {
      long n = sizes[s];
      List<Double> runs = pit.computeIfAbsent(n, k -> new ArrayList<>());
      List<Double> naiveRuns = naive.computeIfAbsent(n, k -> new ArrayList<>());
      // The naive join grows with the square of the rows per entity (16x per 4x): run it where
      // the previous size predicts it finishes within the limit.
      double previousNaive = s == 0 ? 0 : median(naive.get(sizes[s - 1]));
      boolean runNaive =
          s == 0 || !naiveMissing.containsKey(sizes[s - 1]) && previousNaive * 16 < naiveLimitS;
      if (!runNaive) {
        naiveMissing.put(
            n,
            s > 0 && naiveMissing.containsKey(sizes[s - 1])
                ? "not run (smaller size did not finish)"
                : String.format("not run (16 x %.0f s > %d s limit)", previousNaive, naiveLimitS));
      }
      int pitRuns = n <= SMALL ? repeats : 1;
      int naiveRunCount = n < SMALL ? repeats : 1;
      for (int r = 0; r < pitRuns; r++) {
        // A B A B ...: the baseline interleaved with the PIT join.
        runs.add(time("pit", n, () -> materialize(pitJoin(n))));
        if (runNaive && r < naiveRunCount && !naiveMissing.containsKey(n)) {
          timeNaive(n).ifPresentOrElse(naiveRuns::add, () -> naiveMissing.put(n, cancelled()));
        }
      }
      if (n > SMALL) {
        // One run at a large size, bracketed by another run at the size below, so the growth
        // ratio is measured under the same conditions.
        long below = sizes[s - 1];
        pit.get(below).add(time("pit", below, () -> materialize(pitJoin(below))));
      }
    }
    System.out.println();
    System.out.println(
        "| observations | feature rows | PIT join runs (s) | PIT median (s) | growth"
            + " | naive runs (s) | naive median (s) | naive / PIT |");
    System.out.println("|---:|---:|---|---:|---:|---|---:|---:|");
    double previous = Double.NaN;
    for (long n : sizes) {
      double median = median(pit.get(n));
      boolean hasNaive = !naiveMissing.containsKey(n);
      double naiveMedian = hasNaive ? median(naive.get(n)) : Double.NaN;
      System.out.printf(
          "| %,d | %,d | %s | %.1f | %s | %s | %s | %s |%n",
          n,
          n * ratio,
          format(pit.get(n)),
          median,
          Double.isNaN(previous) ? "" : String.format("%.2f", median / previous),
          hasNaive ? format(naive.get(n)) : naiveMissing.get(n),
          hasNaive ? String.format("%.1f", naiveMedian) : "",
          hasNaive ? String.format("%.1f", naiveMedian / median) : "");
      previous = median;
    }
  }

  private String cancelled() {
    return "cancelled after " + naiveLimitS + " s";
  }

  private static String format(List<Double> seconds) {
    return String.join(", ", seconds.stream().map(t -> String.format("%.1f", t)).toList());
  }

  /** Both formulations give the same rows (also a warm-up). */
  private void checkSameResult(long n) {
    Dataset<Row> pit = pitJoin(n);
    Dataset<Row> naive = naiveJoin(n);
    long onlyPit = pit.exceptAll(naive).count();
    long onlyNaive = naive.exceptAll(pit).count();
    System.out.printf(
        "check n=%,d: rows only in PIT %d, only in naive %d%n", n, onlyPit, onlyNaive);
    if (onlyPit != 0 || onlyNaive != 0) {
      throw new IllegalStateException("The PIT join and the naive join disagree at " + n);
    }
  }

  private void generate(long n) {
    long start = System.nanoTime();
    spark
        .range(n)
        .select(
            col("id").as("obs_id"),
            expr("pmod(xxhash64(id, 1), " + entities + ")").as("entity_id"),
            expr("timestamp_seconds(1735689600 + pmod(xxhash64(id, 2), " + SPAN_S + "))")
                .as("obs_ts"),
            expr("rand(3)").as("label"))
        .write()
        .mode("overwrite")
        .parquet(path("observations", n));
    spark
        .range(n * ratio)
        .select(
            expr("pmod(xxhash64(id, 4), " + entities + ")").as("entity_id"),
            // Daily stamps (00:00), as feature tables have: many equal (entity, event_ts) rows.
            expr("timestamp_seconds(1735689600 + pmod(xxhash64(id, 5), 730) * " + DAY_S + ")")
                .as("event_ts"),
            expr("rand(6)").as("spend"),
            expr("pmod(xxhash64(id, 7), 1000)").as("orders"),
            expr("concat('tier-', pmod(xxhash64(id, 8), 5))").as("tier"),
            expr("concat('run-', pmod(xxhash64(id, 9), 3))").as("_run_id"))
        .write()
        .mode("overwrite")
        .parquet(path("features", n));
    System.out.printf(
        "generated %,d observations and %,d feature rows in %.1f s%n",
        n, n * ratio, (System.nanoTime() - start) / 1e9);
  }

  private Dataset<Row> pitJoin(long n) {
    FeatureSource customers =
        FeatureSource.of(
                "customer",
                spark.read().parquet(path("features", n)),
                List.of("entity_id"),
                "event_ts",
                List.of("spend", "orders", "tier"))
            .withTiebreak(List.of("_run_id"));
    return PointInTimeJoin.join(
        spark.read().parquet(path("observations", n)), "obs_ts", List.of(customers));
  }

  private static void materialize(Dataset<Row> result) {
    result.write().format("noop").mode("overwrite").save();
  }

  /** Same semantics without TTL: the latest row with event_ts <= obs_ts, greatest _run_id. */
  private Dataset<Row> naiveJoin(long n) {
    Dataset<Row> observations = spark.read().parquet(path("observations", n));
    Dataset<Row> features =
        spark.read().parquet(path("features", n)).withColumnRenamed("entity_id", "f_entity_id");
    return observations
        .join(
            features,
            col("entity_id").equalTo(col("f_entity_id")).and(col("event_ts").leq(col("obs_ts"))),
            "left")
        .withColumn(
            "rn",
            row_number()
                .over(
                    Window.partitionBy("obs_id")
                        .orderBy(
                            col("event_ts").desc_nulls_last(),
                            col("_run_id").desc_nulls_last(),
                            col("spend").desc_nulls_last(),
                            col("orders").desc_nulls_last(),
                            col("tier").desc_nulls_last())))
        .where(col("rn").equalTo(1))
        .select("obs_id", "entity_id", "obs_ts", "label", "spend", "orders", "tier");
  }

  private Optional<Double> timeNaive(long n) {
    String group = "naive-" + n + "-" + System.nanoTime();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    long start = System.nanoTime();
    Future<?> run =
        executor.submit(
            () -> {
              spark.sparkContext().setJobGroup(group, "naive inequality join", true);
              materialize(naiveJoin(n));
            });
    try {
      run.get(naiveLimitS, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("naive  n=%,d: %.1f s%n", n, seconds);
      return Optional.of(seconds);
    } catch (TimeoutException e) {
      spark.sparkContext().cancelJobGroup(group);
      awaitCancelled(run);
      System.out.printf("naive  n=%,d: cancelled after %d s%n", n, naiveLimitS);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while timing the naive join", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The naive join failed at " + n, e.getCause());
    } finally {
      executor.shutdownNow();
    }
  }

  private static void awaitCancelled(Future<?> run) {
    try {
      run.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      // The cancelled job's failure is the expected outcome of the cancel.
      System.out.println("naive run cancelled: " + expected.getCause().getClass().getSimpleName());
    } catch (TimeoutException | InterruptedException e) {
      throw new IllegalStateException("The cancelled naive join did not stop", e);
    }
  }

  private static double time(String what, long n, Runnable body) {
    long start = System.nanoTime();
    body.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%-6s n=%,d: %.1f s%n", what, n, seconds);
    return seconds;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int m = sorted.size();
    return m % 2 == 1 ? sorted.get(m / 2) : (sorted.get(m / 2 - 1) + sorted.get(m / 2)) / 2;
  }

  private String path(String table, long n) {
    return dir.resolve(table + "-" + n).toString();
  }
}
