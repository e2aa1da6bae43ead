/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.bench.score;

import static dev.sluice.bench.BenchRuns.median;
import static dev.sluice.bench.BenchRuns.seconds;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.bench.BenchRuns;
import dev.sluice.bench.SparkJobLog;
import dev.sluice.jobs.cli.SluiceCli;
import dev.sluice.model.ModelOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

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
 * 50000), {@code days} (21), {@code rounds} (5), {@code root} (a fresh temp dir; a root that
 * already holds a scored lake of the same sizes is reused).
 */
public final class ScoreBenchmark {
  private ScoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = BenchRuns.arguments(args);
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
    if (!Files.isDirectory(root.resolve("_registry"))) { // a root given again is reused
      cli(settings, "sample-data");
      cli(settings, "snapshot", "--date", d);
      cli(settings, "features", "build", "--from", start.plusDays(6).toString(), "--to", d);
      cli(settings, "training-set", "build", "--model", "churn", "--date", d);
      cli(settings, "train", "--model", "churn", "--date", d);
    }
    cli(settings, "score", "--model", "churn", "--date", d); // warm-up, and the baseline's inputs

    SparkSession spark = SparkSession.active();
    if (Boolean.parseBoolean(a.getOrDefault("jobs", "false"))) {
      SparkJobLog.listen(spark.sparkContext(), null, true);
    }
    Dataset<Row> inputs =
        spark.read().format("delta").load(root.resolve("scoring_inputs").toString());
    long rows = inputs.count();
    String prejoined = root.resolve("bench_inputs").toString();
    inputs.write().format("delta").mode("overwrite").save(prejoined);
    long populationVersion = snapshotVersion(spark, root, "raw_customers");
    Path sparkml = sparkml(root);
    String out = root.resolve("bench_predictions").toString();
    String outInputs = root.resolve("bench_inputs_out").toString();
    // Warm-up of the baselines.
    handWritten(spark, sparkml, root, populationVersion, date, out, outInputs);
    handWritten(spark, sparkml, root, populationVersion, date, out, null);
    transformOnly(spark, sparkml, prejoined, out);

    double[] sluice = new double[rounds];
    double[] same = new double[rounds];
    double[] hand = new double[rounds];
    double[] floor = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      same[r] =
          seconds(() -> handWritten(spark, sparkml, root, populationVersion, date, out, outInputs));
      sluice[r] = seconds(() -> cli(settings, "score", "--model", "churn", "--date", d));
      hand[r] =
          seconds(() -> handWritten(spark, sparkml, root, populationVersion, date, out, null));
      floor[r] = seconds(() -> transformOnly(spark, sparkml, prejoined, out));
      System.err.printf(
          "round %d: sluice score %.2f s; hand-written, same outputs %.2f s; predictions only %.2f"
              + " s; transform-only %.2f s%n",
          r + 1, sluice[r], same[r], hand[r], floor[r]);
    }
    System.out.printf(
        "rows %d, cores %d, sluice score %.0f rows/s (median %.2f s)%n",
        rows, Runtime.getRuntime().availableProcessors(), rows / median(sluice), median(sluice));
    report("A hand-written job, same two outputs", rows, same, sluice);
    report("B hand-written job, predictions only", rows, hand, sluice);
    report("C transform-only floor (inputs pre-joined)", rows, floor, sluice);
  }

  private static void report(String baseline, long rows, double[] times, double[] sluice) {
    System.out.printf(
        "%s: %.0f rows/s (median %.2f s), ratio sluice/baseline %.3f%n",
        baseline, rows / median(times), median(times), median(times) / median(sluice));
  }

  /**
   * The minimal job a Spark user would write for the same output from the same lake: the population
   * of the date from the pinned customers table, each feature table's newest row per customer as of
   * the date (within the activity group's 3-day TTL), the PipelineModel, transform, predictions to
   * Delta, and (when {@code inputsOut} is given) the joined model inputs to a second Delta table,
   * as {@code sluice score} writes {@code scoring_inputs}. No job contract, registry, verification,
   * quality gate, cohorts or lineage.
   */
  private static void handWritten(
      SparkSession spark,
      Path sparkml,
      Path root,
      long populationVersion,
      LocalDate date,
      String out,
      String inputsOut) {
    Timestamp asOf = Timestamp.valueOf(date.atStartOfDay());
    Timestamp activityFrom = Timestamp.valueOf(date.minusDays(3).atStartOfDay());
    Dataset<Row> population =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", populationVersion)
            .load(root.resolve("raw_customers").toString())
            .where(
                col("signup_date")
                    .leq(lit(java.sql.Date.valueOf(date)))
                    .and(
                        col("cancel_date")
                            .isNull()
                            .or(col("cancel_date").gt(lit(java.sql.Date.valueOf(date))))))
            .select("customer_id")
            .distinct()
            .withColumn("score_date", lit(java.sql.Date.valueOf(date)));
    Dataset<Row> activity =
        newest(
            spark,
            root.resolve("features_customer_activity"),
            col("event_ts").gt(lit(activityFrom)).and(col("event_ts").leq(lit(asOf))),
            "customer_activity",
            List.of(
                "events_7d",
                "events_28d",
                "logins_7d",
                "purchases_28d",
                "support_tickets_28d",
                "spend_28d",
                "avg_session_minutes_7d",
                "max_session_minutes_7d",
                "sd_session_minutes_28d",
                "devices_28d",
                "last_device"));
    Dataset<Row> profile =
        newest(
            spark,
            root.resolve("features_customer_profile"),
            col("event_ts").leq(lit(asOf)),
            "customer_profile",
            List.of("plan", "region", "age"));
    Dataset<Row> features =
        population.join(activity, "customer_id", "left").join(profile, "customer_id", "left");
    PipelineModel model = PipelineModel.load(sparkml.toUri().toString());
    if (inputsOut == null) {
      write(model.transform(features), out);
      return;
    }
    Dataset<Row> cached = features.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      write(model.transform(cached), out);
      cached.write().format("delta").mode("overwrite").save(inputsOut);
    } finally {
      cached.unpersist();
    }
  }

  /** Each customer's newest row of a feature table within {@code window}, as group__feature. */
  private static Dataset<Row> newest(
      SparkSession spark, Path table, Column window, String group, List<String> features) {
    List<Column> values = new ArrayList<>();
    for (String f : features) {
      values.add(col(f));
    }
    Column[] aggregates = new Column[features.size()];
    Column newest =
        functions.max_by(functions.struct(values.toArray(Column[]::new)), col("event_ts"));
    Dataset<Row> latest =
        spark
            .read()
            .format("delta")
            .load(table.toString())
            .where(window)
            .groupBy("customer_id")
            .agg(newest.as("v"));
    for (int i = 0; i < features.size(); i++) {
      aggregates[i] = col("v." + features.get(i)).as(group + "__" + features.get(i));
    }
    List<Column> select = new ArrayList<>();
    select.add(col("customer_id"));
    select.addAll(Arrays.asList(aggregates));
    return latest.select(select.toArray(Column[]::new));
  }

  /** The floor: load the PipelineModel, transform the already joined inputs, write to Delta. */
  private static void transformOnly(SparkSession spark, Path sparkml, String inputs, String out) {
    PipelineModel model = PipelineModel.load(sparkml.toUri().toString());
    write(model.transform(spark.read().format("delta").load(inputs)), out);
  }

  private static void write(Dataset<Row> transformed, String out) {
    transformed
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

  /** The version of a source table that {@code sluice snapshot} pinned (its newest snapshot). */
  private static long snapshotVersion(SparkSession spark, Path root, String table) {
    return spark
        .read()
        .format("delta")
        .load(root.resolve("snapshots").toString())
        .where(col("source_table").endsWith(table))
        .orderBy(col("delta_ts").desc())
        .select("delta_version")
        .first()
        .getLong(0);
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
}
