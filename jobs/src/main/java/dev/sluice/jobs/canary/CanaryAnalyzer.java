/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.Decision;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.release.Releases;
import dev.sluice.model.ModelTags;
import dev.sluice.registry.ModelVersion;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sluice canary analyze}: one window (a score date) of the champion's cohort against the
 * challenger's canary cohort, metric by metric ({@link CanaryMetrics}), written to {@code
 * canary_analyses} (a rerun of the window replaces its rows); then the policy: a failed window
 * aborts the canary (exit 5), {@code promote-after} consecutive successful windows promote the
 * challenger, anything else holds.
 */
final class CanaryAnalyzer {
  static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField("model_name", StringType, false),
              createStructField("window_start", DateType, false),
              createStructField("window_end", DateType, false),
              createStructField("champion_version", LongType, false),
              createStructField("challenger_version", LongType, false),
              createStructField("metric", StringType, false),
              createStructField("champion_value", DoubleType, true),
              createStructField("challenger_value", DoubleType, true),
              createStructField("champion_n", LongType, false),
              createStructField("challenger_n", LongType, false),
              createStructField("test", StringType, false),
              createStructField("statistic", DoubleType, true),
              createStructField("p_value", DoubleType, true),
              createStructField("ci_low", DoubleType, true),
              createStructField("ci_high", DoubleType, true),
              createStructField("threshold", DoubleType, true),
              createStructField("outcome", StringType, false),
              createStructField("window_outcome", StringType, false),
              createStructField("decision", StringType, false),
              createStructField("run_id", StringType, false),
              createStructField("run_key", StringType, false),
              createStructField("at_ts", TimestampType, false)));

  private final JobEnv env;

  CanaryAnalyzer(JobEnv env) {
    this.env = env;
  }

  void analyze(
      String model,
      String entity,
      LocalDate window,
      CanarySpec spec,
      Supplier<SnapshotSet> pins,
      JobResult result) {
    Optional<ModelVersion> champion = env.registry().versionByAlias(model, ModelTags.CHAMPION);
    Optional<ModelVersion> challenger = env.registry().versionByAlias(model, ModelTags.CHALLENGER);
    if (champion.isEmpty() || challenger.isEmpty()) {
      env.stages()
          .note(
              "no canary to analyze: "
                  + model
                  + " has no "
                  + (champion.isEmpty() ? "champion" : "challenger"));
      result.metric("canary", "none");
      return;
    }
    long championVersion = champion.get().version();
    long challengerVersion = challenger.get().version();
    result.modelInput(model, championVersion);
    result.modelInput(model, challengerVersion);
    if (!env.lake().exists(SluiceTables.PREDICTIONS)) {
      throw PipelineErrors.upstreamMissing(
          String.format(
              "No predictions yet (run `sluice score --model %s --date %s`)", model, window));
    }
    TableVersion predictionsVersion = env.lake().latest(SluiceTables.PREDICTIONS);
    result.input(predictionsVersion);
    Dataset<Row> predictions =
        env.lake()
            .readAt(SluiceTables.PREDICTIONS, predictionsVersion.version())
            .where(
                col("model_name")
                    .equalTo(lit(model))
                    .and(col("score_date").equalTo(lit(Date.valueOf(window)))));
    Dataset<Row> sides =
        predictions
            .where(
                col("model_version")
                    .equalTo(championVersion)
                    .and(col("cohort").equalTo("champion"))
                    .or(
                        col("model_version")
                            .equalTo(challengerVersion)
                            .and(col("cohort").equalTo("canary"))))
            .select(
                col(entity),
                col("score_date"),
                when(col("model_version").equalTo(championVersion), lit(CanaryMetrics.CHAMPION))
                    .otherwise(lit(CanaryMetrics.CHALLENGER))
                    .as(CanaryMetrics.SIDE),
                col("probability").as(CanaryMetrics.SCORE));
    Dataset<Row> labelled = withLabels(sides, entity, spec, pins, result);
    List<MetricResult> metrics =
        env.stages()
            .stage(
                "analyze", "canary window " + window, () -> CanaryMetrics.evaluate(labelled, spec));
    String windowOutcome = MetricResult.windowOutcome(metrics);
    // Consecutive successful windows of this challenger, this one included.
    int streak =
        windowOutcome.equals(MetricResult.SUCCESS)
            ? successes(model, challengerVersion, window.minusDays(1)) + 1
            : 0;
    String decision = decide(windowOutcome, streak, spec);
    write(
        model,
        window,
        championVersion,
        challengerVersion,
        metrics,
        windowOutcome,
        decision,
        result);
    for (MetricResult m : metrics) {
      result.metric(m.metric(), m.outcome());
    }
    result.metric("window_outcome", windowOutcome);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("window", window.toString());
    evidence.put("window_outcome", windowOutcome);
    metrics.forEach(
        m -> evidence.put(m.metric(), Map.of("outcome", m.outcome(), "statistic", m.statistic())));
    Releases releases = new Releases(env);
    switch (decision) {
      case "promote" ->
          releases.promote(
              model,
              Optional.of(challengerVersion),
              String.format(
                  "%d consecutive successful canary windows up to %s", spec.promoteAfter(), window),
              evidence,
              result);
      case "abort" ->
          releases.abort(
              model, "canary window " + window + " failed: " + failures(metrics), evidence, result);
      default ->
          result.decide(
              new Decision(
                  "hold",
                  String.format(
                      "window %s %s; %d of %d successful windows needed to promote",
                      window, windowOutcome, streak, spec.promoteAfter())),
              0);
    }
  }

  /** Labels that landed by the pinned version of the label table, joined on entity and date. */
  private Dataset<Row> withLabels(
      Dataset<Row> sides,
      String entity,
      CanarySpec spec,
      Supplier<SnapshotSet> pinsSupplier,
      JobResult result) {
    if (spec.labels().isEmpty()) {
      return sides.withColumn(CanaryMetrics.LABEL, lit(null).cast("int"));
    }
    CanarySpec.Labels l = spec.labels().get();
    SnapshotSet pins = pinsSupplier.get();
    TableId table = TableId.of(l.table());
    if (pins.pin(table).isEmpty()) {
      throw PipelineErrors.invalidConfig(
          "canary.labels.table", l.table(), "must be a source table pinned by `sluice snapshot`");
    }
    Dataset<Row> labels =
        pins.read(env.lake(), table, result)
            .select(
                col(l.entity()).as(entity),
                col(l.date()).cast("date").as("score_date"),
                col(l.label()).cast("int").as(CanaryMetrics.LABEL));
    return sides.join(
        labels.dropDuplicates(entity, "score_date"),
        scala.collection.JavaConverters.asScalaBuffer(List.of(entity, "score_date")).toSeq(),
        "left");
  }

  /** failure → abort; success for promote-after consecutive windows → promote; else hold. */
  private static String decide(String outcome, int streak, CanarySpec spec) {
    if (outcome.equals(MetricResult.FAILURE)) {
      return "abort";
    }
    return streak >= spec.promoteAfter() ? "promote" : "hold";
  }

  /** Consecutive successful windows of the challenger ending at {@code last} (daily windows). */
  private int successes(String model, long challenger, LocalDate last) {
    if (!env.lake().exists(SluiceTables.CANARY_ANALYSES)) {
      return 0;
    }
    Map<LocalDate, String> outcomes = new LinkedHashMap<>();
    for (Row r :
        env.lake()
            .read(SluiceTables.CANARY_ANALYSES)
            .where(
                col("model_name")
                    .equalTo(lit(model))
                    .and(col("challenger_version").equalTo(lit(challenger))))
            .select("window_end", "window_outcome")
            .distinct()
            .collectAsList()) {
      outcomes.put(r.getDate(0).toLocalDate(), r.getString(1));
    }
    int count = 0;
    for (LocalDate d = last; MetricResult.SUCCESS.equals(outcomes.get(d)); d = d.minusDays(1)) {
      count++;
    }
    return count;
  }

  private static String failures(List<MetricResult> metrics) {
    List<String> failed = new ArrayList<>();
    metrics.stream()
        .filter(m -> m.outcome().equals(MetricResult.FAILURE))
        .forEach(
            m ->
                failed.add(
                    m.metric()
                        + " ("
                        + m.test()
                        + ", statistic "
                        + String.format("%.4f", m.statistic())
                        + ")"));
    return String.join("; ", failed);
  }

  private void write(
      String model,
      LocalDate window,
      long championVersion,
      long challengerVersion,
      List<MetricResult> metrics,
      String windowOutcome,
      String decision,
      JobResult result) {
    Timestamp at = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (MetricResult m : metrics) {
      rows.add(
          RowFactory.create(
              model,
              Date.valueOf(window),
              Date.valueOf(window),
              championVersion,
              challengerVersion,
              m.metric(),
              nan(m.championValue()),
              nan(m.challengerValue()),
              m.championN(),
              m.challengerN(),
              m.test(),
              nan(m.statistic()),
              nan(m.pValue()),
              nan(m.ciLow()),
              nan(m.ciHigh()),
              nan(m.threshold()),
              m.outcome(),
              windowOutcome,
              decision,
              env.run().runId(),
              env.run().runKey().value(),
              at));
    }
    result.output(
        DeltaWriter.replaceWhere(
            env.lake(),
            SluiceTables.CANARY_ANALYSES,
            env.spark().createDataFrame(rows, SCHEMA).coalesce(1),
            String.format(
                "model_name = '%s' AND window_end = DATE'%s' AND challenger_version = %d",
                model, window, challengerVersion),
            env.run().commitTag()));
    env.catalog().register(SluiceTables.CANARY_ANALYSES);
  }

  /** NaN (not computed) is stored as null. */
  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
