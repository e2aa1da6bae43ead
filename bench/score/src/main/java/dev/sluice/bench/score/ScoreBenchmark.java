/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.score;

import static org.apache.spark.sql.functions.col;

import dev.sluice.jobs.cli.SluiceCli;
import dev.sluice.model.ModelOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows per second of {@code sluice score} against a minimal hand-written Spark job on the same data
 * and model (ARCHITECTURE §9): the baseline reads the exact model inputs of the score date (written
 * once by a first {@code sluice score}, so the same rows and feature values) from a Delta table,
 * loads the champion's PipelineModel, transforms and writes the predictions to Delta. {@code sluice
 * score} does everything else too: the job contract, the registry lookup, the artifact download and
 * verification, the population read at its pin, the point-in-time feature retrieval, cohorts, and
 * two Delta writes. Runs are interleaved A B A B, median of {@code rounds}.
 *
 * <p>Arguments ({@code key=value}): {@code conf} (the shipped profile), {@code customers} (default
 * 50000), {@code days} (21), {@code rounds} (5), {@code root} (a fresh temp dir).
 */
public final class ScoreBenchmark {
  private ScoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    int customers = Integer.parseInt(a.getOrDefault("customers", "50000"));
    int days = Integer.parseInt(a.getOrDefault("days", "21"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
    Path root =
        a.containsKey("root")
            ? Path.of(a.get("root"))
            : Files.createTempDirectory("sluice-bench-score");
    LocalDate start = LocalDate.parse("2026-09-01");
    LocalDate date = start.plusDays(days - 1);
    List<String> settings =
        List.of(
            "--conf",
            a.get("conf"),
            "-Dsluice.lake.root=" + root,
            "-Dsluice.sample.customers=" + customers,
            "-Dsluice.sample.days=" + days,
            "-Dsluice.sample.start-date=" + start,
            "-Dsluice.sample.drift-day=" + (days - 3),
            // Labels land within the sample, so there is a training set.
            "-Dsluice.sample.label-horizon-days=7",
            "-Dsluice.sample.label-delay-days=1",
            "-Dsluice.models.churn.gate.minimums.auc_roc=0",
            "-Dsluice.models.churn.gate.maximums.log_loss=100");
    String d = date.toString();
    cli(settings, "sample-data");
    cli(settings, "snapshot", "--date", d);
    cli(settings, "features", "build", "--from", start.plusDays(6).toString(), "--to", d);
    cli(settings, "training-set", "build", "--model", "churn", "--date", d);
    cli(settings, "train", "--model", "churn", "--date", d);
    cli(settings, "score", "--model", "churn", "--date", d); // warm-up, and the baseline's inputs

    SparkSession spark = SparkSession.active();
    Dataset<Row> inputs =
        spark.read().format("delta").load(root.resolve("scoring_inputs").toString());
    long rows = inputs.count();
    String baselineInputs = root.resolve("bench_inputs").toString();
    inputs.write().format("delta").mode("overwrite").save(baselineInputs);
    Path sparkml = sparkml(root);
    String baselineOut = root.resolve("bench_predictions").toString();
    baseline(spark, sparkml, baselineInputs, baselineOut); // warm-up

    double[] sluice = new double[rounds];
    double[] hand = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      baseline(spark, sparkml, baselineInputs, baselineOut);
      hand[r] = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      cli(settings, "score", "--model", "churn", "--date", d);
      sluice[r] = (System.nanoTime() - t1) / 1e9;
      System.err.printf(
          "round %d: baseline %.2f s, sluice score %.2f s%n", r + 1, hand[r], sluice[r]);
    }
    double baselineRate = rows / median(hand);
    double sluiceRate = rows / median(sluice);
    System.out.printf(
        "rows %d, cores %d: baseline %.0f rows/s (median %.2f s), sluice score %.0f rows/s"
            + " (median %.2f s), ratio %.3f%n",
        rows,
        Runtime.getRuntime().availableProcessors(),
        baselineRate,
        median(hand),
        sluiceRate,
        median(sluice),
        sluiceRate / baselineRate);
  }

  /** Load the PipelineModel, transform the inputs, write the predictions to Delta. */
  private static void baseline(SparkSession spark, Path sparkml, String inputs, String out) {
    PipelineModel model = PipelineModel.load(sparkml.toUri().toString());
    model
        .transform(spark.read().format("delta").load(inputs))
        .select(
            col("customer_id"),
            col("score_date"),
            col(ModelOutputs.PREDICTION),
            ModelOutputs.positiveProbability().as("probability"))
        .write()
        .format("delta")
        .mode("overwrite")
        .save(out);
  }

  private static void cli(List<String> settings, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(settings);
    int code = SluiceCli.commandLine().execute(all.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("sluice " + String.join(" ", args) + " exited " + code);
    }
  }

  /** The champion's sparkml directory in the embedded registry's artifacts. */
  private static Path sparkml(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root.resolve("_registry/artifacts"))) {
      return paths
          .filter(p -> p.getFileName().toString().equals("sparkml") && Files.isDirectory(p))
          .findFirst()
          .orElseThrow();
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
