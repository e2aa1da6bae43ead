/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.demo;

import static org.apache.spark.sql.functions.col;

import dev.sluice.config.SampleConfig;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.canary.CanaryCommand;
import dev.sluice.jobs.cli.CommonOptions;
import dev.sluice.jobs.cli.JobRunner;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.cli.JobRunner.JobSpec;
import dev.sluice.jobs.drift.DriftCommand;
import dev.sluice.jobs.drift.report.DriftReportCommand;
import dev.sluice.jobs.features.FeaturesCommand;
import dev.sluice.jobs.lineage.LineageCommand;
import dev.sluice.jobs.lineage.LineageFormat;
import dev.sluice.jobs.quality.QualityCommand;
import dev.sluice.jobs.sample.SampleDataCommand;
import dev.sluice.jobs.score.ScoreCommand;
import dev.sluice.jobs.snapshot.SnapshotCommand;
import dev.sluice.jobs.train.TrainCommand;
import dev.sluice.jobs.trainingset.TrainingSetCommand;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: every stage that exists, end to end on sample data, in one JVM and one
 * SparkSession. Each stage is a full job attempt (its own run key, job_runs row and lineage); their
 * summary lines go to stderr, and the demo's own summary is the last stdout line.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline end to end on sample data: sample-data -> snapshot -> quality check",
      "-> features build -> training-set build -> train (champion) -> train (a challenger) ->",
      "nightly runs around the sample's drift day (snapshot -> score with a canary cohort ->",
      "canary analyze -> drift): the canary promotes or aborts, the drift alert rolls back.",
      "Rerunning adds no duplicate rows: each stage replaces its run key's output."
    })
public final class DemoCommand implements Callable<Integer> {
  /** Sizes of {@code --fast}: enough rows for every stage to have signal, in less time. */
  static final int FAST_CUSTOMERS = 2_000;

  /** The model of the demo (conf/models/churn.conf). */
  static final String DEMO_MODEL = "churn";

  /** Nightly runs replayed before the sample's drift day (the canary needs 3 to promote). */
  static final int NIGHTS_BEFORE_DRIFT = 2;

  /** The demo's drift policy: an alert on the champion's rows rolls it back. */
  static final Map<String, String> DRIFT_POLICY =
      Map.of("sluice.models.churn.drift.on-alert", "rollback");

  /** The demo's challenger: the champion's model with another boosting schedule. */
  static final Map<String, String> CHALLENGER_PARAMS =
      Map.of(
          "sluice.models.churn.train.params.maxIter", "40",
          "sluice.models.churn.train.params.stepSize", "0.1");

  /** Feature rows start once a week of activity lies behind them. */
  static final int FEATURE_WARMUP_DAYS = 6;

  @Mixin CommonOptions common;

  @Option(names = "--fast", description = "A smaller sample (" + FAST_CUSTOMERS + " customers).")
  boolean fast;

  @Override
  public Integer call() {
    return run(System.out, System.err).exitCode();
  }

  JobRunner.Outcome run(PrintStream out, PrintStream err) {
    JobRunner stages = new JobRunner(err, err);
    List<String> report = new ArrayList<>();
    JobRunner.Outcome outcome =
        new JobRunner(new DeferredOut(out, report), err)
            .run(
                new JobSpec("demo", Optional.empty(), Optional.empty()),
                common,
                (env, result) -> runStages(env, stages, result, report));
    return outcome;
  }

  private void runStages(JobEnv env, JobRunner stages, JobResult result, List<String> report) {
    SampleConfig sample = env.config().sample();
    Integer customers = fast ? FAST_CUSTOMERS : null;
    LocalDate date = sample.endDate();

    check("sample-data", SampleDataCommand.run(stages, common, customers, null, null, false));
    check("snapshot", SnapshotCommand.run(stages, common, date, Map.of(), Map.of()));
    JobRunner.Outcome quality =
        check("quality", QualityCommand.Check.run(stages, common, date, Optional.empty()));
    // Features for every day with a week of history behind it: what training and scoring read.
    LocalDate firstFeatureDay = sample.startDate().plusDays(FEATURE_WARMUP_DAYS);
    check(
        "features",
        FeaturesCommand.Build.run(stages, common, firstFeatureDay, date, false, Optional.empty()));

    JobRunner.Outcome trainingSet =
        check(
            "training-set",
            TrainingSetCommand.Build.run(
                stages, common, date, TrainingSetCommand.Build.forModel(DEMO_MODEL)));

    JobRunner.Outcome train = TrainCommand.run(stages, common, DEMO_MODEL, date, Optional.empty());
    if (train.exitCode() != 0 && train.exitCode() != ErrorCode.POLICY.exitCode()) {
      throw PipelineErrors.stageFailed("train", train.exitCode(), train.error().orElse(""));
    }

    Canary canary = canary(env, stages, sample, date);

    Object quarantined = quality.result().metrics().getOrDefault("quality.quarantined_rows", 0L);
    Object constraints = quality.result().metrics().getOrDefault("quality.constraints", 0);
    report.add("");
    report.add("Sluice demo finished for " + date + ".");
    report.add(
        String.format(
            "  Quality gate: %s constraints checked with Deequ, no error-level failure; %s"
                + " malformed rows quarantined to sluice.raw_activity_quarantine, the rest proceed.",
            constraints, quarantined));
    report.add(
        String.format(
            "  Features: %s..%s built into sluice.features_*, definitions in sluice.feature_registry.",
            firstFeatureDay, date));
    report.add(
        String.format(
            "  Training set: %s labelled observations of model %s joined point-in-time with their"
                + " features into sluice.training_churn (see sluice.training_sets).",
            trainingSet.result().metrics().get("rows"), DEMO_MODEL));
    Map<String, Object> model = train.result().metrics();
    report.add(
        String.format(
            "  Model: %s version %s, digest %s; holdout (%s rows) auc_roc %.4f, auc_pr %.4f,"
                + " log_loss %.4f, f1 %.4f.",
            DEMO_MODEL,
            model.get("model_version"),
            model.get("digest"),
            model.get("holdout_rows"),
            model.get("auc_roc"),
            model.get("auc_pr"),
            model.get("log_loss"),
            model.get("f1")));
    report.add(
        "  Validation gate: "
            + model.get("gate")
            + train
                .result()
                .decision()
                .map(d -> "; " + d.action() + ": " + d.reason())
                .orElse("; version already holds alias " + model.get("alias"))
            + ".");
    report.add(
        String.format(
            "  In the registry (./sluice registry serve, then GET http://127.0.0.1:5000/api/2.0/"
                + "mlflow/...): registered-models/get?name=%1$s (aliases), model-versions/get?"
                + "name=%1$s&version=%2$s (digest tags), artifacts/list?run_id=%3$s&path=model"
                + " (MLmodel, manifest.json, sparkml).",
            DEMO_MODEL, model.get("model_version"), model.get("mlflow_run_id")));
    report.addAll(canary.report());
    report.add("");
    report.add("Tables in the lakehouse (" + env.config().lake().root() + "):");
    for (TableId table : env.lake().tablesUnderRoot()) {
      env.catalog().register(table);
      TableVersion latest = env.lake().latest(table);
      long rows = env.lake().read(table).count();
      report.add(
          String.format(
              "  %-36s version %-4s %,12d rows",
              env.lake().qualifiedName(table), latest.version(), rows));
      result.metric(table.name() + ".rows", rows);
    }
    report.add("");
    report.add("Look next:");
    report.add(
        "  ./sluice sql \"SELECT source_table, delta_version, row_count, fingerprint FROM sluice.snapshots\"");
    report.add(
        "  ./sluice sql \"SELECT job, run_key, status, exit_code, ended_ts FROM sluice.job_runs ORDER BY ended_ts\"");
    report.add(
        "  ./sluice sql \"SELECT job, input_name, input_version, output_name, output_version FROM sluice.lineage\"");
    report.add(
        "  ./sluice sql \"SELECT table_name, constraint, status, metric_value FROM sluice.data_quality\"");
    report.add("  ./sluice sql \"SELECT * FROM sluice.training_churn LIMIT 5\"");
    report.add(
        "  ./sluice sql \"SELECT model_name, alias, from_version, to_version, action, reason FROM sluice.deployments\"");
    report.add(
        "  ./sluice sql \"SELECT column_name, bin_index, bin_lower, bin_upper, category, bin_share FROM sluice.model_baselines\"");
    report.add(
        "  ./sluice sql \"SELECT score_date, model_version, cohort, count(*) FROM sluice.predictions GROUP BY 1, 2, 3 ORDER BY 1, 2\"");
    report.add(
        "  ./sluice sql \"SELECT window_end, metric, champion_value, challenger_value, outcome, decision FROM sluice.canary_analyses\"");
    report.add(
        "  ./sluice sql \"SELECT window_end, model_version, column_name, round(psi, 3) AS psi, round(js_distance, 3) AS js, severity FROM sluice.drift_metrics WHERE slice_key = 'all' AND drift_type = 'BASELINE' AND severity != 'none' ORDER BY 1, 3\"");
    report.add(
        "  ./sluice sql \"SELECT window_end, model_version, column_name, metric, value, action FROM sluice.alerts ORDER BY window_end\"");
    report.add("  ./sluice sql -f docs/sql/lineage_of_model_version.sql");

    report.add("");
    report.add(
        "Lineage of the champion (./sluice lineage --model " + DEMO_MODEL + ", or --format json):");
    report.addAll(
        LineageFormat.text(
            LineageCommand.trace(
                env, DEMO_MODEL, Optional.empty(), LineageCommand.DEFAULT_ALIAS, new JobResult())));
    report.add("");
    Optional.ofNullable(model.get("model_card"))
        .ifPresent(
            card ->
                report.add(
                    "Model card of version "
                        + model.get("model_version")
                        + ": "
                        + card
                        + " (./sluice model-card --model "
                        + DEMO_MODEL
                        + " --version "
                        + model.get("model_version")
                        + " renders it again)"));
    canary.driftReport().ifPresent(path -> report.add("Drift report: " + path));
  }

  /** What the canary and nightly part of the demo did, as report lines. */
  record Canary(List<String> report, Optional<Object> driftReport) {}

  /**
   * A challenger (another boosting schedule) trained against the champion, then nightly runs
   * replayed from {@link #NIGHTS_BEFORE_DRIFT} days before the sample's drift day to the first day
   * whose features hold drifted activity: each night snapshot, score with the canary cohort, canary
   * analyze (until the policy promotes or aborts) and drift with the demo's policy (an alert on the
   * champion's rows rolls it back), as an orchestrator would run them.
   */
  private Canary canary(JobEnv env, JobRunner stages, SampleConfig sample, LocalDate date) {
    List<String> lines = new ArrayList<>();
    Optional<Object> driftReport = Optional.empty();
    Map<String, String> overrides = new java.util.LinkedHashMap<>(common.overrides());
    overrides.putAll(CHALLENGER_PARAMS);
    JobRunner.Outcome challenger =
        TrainCommand.run(
            stages,
            CommonOptions.of(common.confFile(), overrides),
            DEMO_MODEL,
            date,
            Optional.empty());
    lines.add(
        String.format(
            "  Challenger (%s): version %s, auc_roc %.4f; %s.",
            CHALLENGER_PARAMS,
            challenger.result().metrics().get("model_version"),
            challenger.result().metrics().get("auc_roc"),
            challenger
                .result()
                .decision()
                .map(d -> d.action() + ": " + d.reason())
                .orElse(
                    "passed the gate; already holds alias "
                        + challenger.result().metrics().get("alias"))));
    LocalDate driftDate = sample.startDate().plusDays(sample.driftDay());
    // Features of day D aggregate the activity before D: the drift reaches them a day later.
    LocalDate first = driftDate.minusDays(NIGHTS_BEFORE_DRIFT);
    LocalDate last = driftDate.plusDays(1);
    lines.add(
        String.format(
            "  Nightly runs replayed for %s..%s (the sample's activity drifts from %s: longer"
                + " sessions, device smart_tv); drift policy: %s.",
            first, last, driftDate, DRIFT_POLICY));
    Optional<LocalDate> labelledDay = sample.newestLabelledObservation(first);
    labelledDay.ifPresent(day -> lines.add(backfill(stages, day, first)));
    Map<String, String> driftOverrides = new java.util.LinkedHashMap<>(common.overrides());
    driftOverrides.putAll(DRIFT_POLICY);
    CommonOptions driftOptions = CommonOptions.of(common.confFile(), driftOverrides);
    boolean canaryOpen = true;
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      check("snapshot", SnapshotCommand.run(stages, common, day, Map.of(), Map.of()));
      JobRunner.Outcome scored =
          check("score", ScoreCommand.run(stages, common, DEMO_MODEL, day, day, Optional.empty()));
      String canary = "decided";
      if (canaryOpen) {
        JobRunner.Outcome analysis =
            policy(
                "canary analyze",
                CanaryCommand.Analyze.run(stages, common, DEMO_MODEL, day, Optional.empty()));
        canary =
            analysis.result().metrics().getOrDefault("window_outcome", "none")
                + " -> "
                + analysis
                    .result()
                    .decision()
                    .map(d -> d.action() + ": " + d.reason())
                    .orElse("no challenger to judge");
        canaryOpen = analysis.result().decision().map(d -> d.action().equals("hold")).orElse(false);
      }
      JobRunner.Outcome drift =
          policy(
              "drift",
              DriftCommand.run(
                  stages, driftOptions, DEMO_MODEL, day, day, Optional.empty(), false));
      lines.add(
          String.format(
              "  Night %s: scored %s; canary %s; drift: %s alert(s)%s%s.",
              day,
              scoredRows(scored),
              canary,
              drift.result().metrics().getOrDefault("alerts", 0),
              labelledWindows(drift),
              drift.result().decision().map(d -> " -> " + d.reason()).orElse("")));
      if (drift.exitCode() == ErrorCode.POLICY.exitCode()) {
        lines.add(
            String.format(
                "  Drift first flagged on %s, on %s; the nightly runs stop here.",
                day, alertedColumns(env, day)));
        JobRunner.Outcome report =
            check(
                "drift report",
                DriftReportCommand.run(
                    stages,
                    common,
                    DEMO_MODEL,
                    Optional.of(day),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
        driftReport = Optional.ofNullable(report.result().metrics().get("report"));
        lines.add("  Drift report (open it in a browser, no network needed): " + driftReport.get());
        break;
      }
    }
    labelledDay.ifPresent(day -> lines.add(performance(env, day)));
    return new Canary(lines, driftReport);
  }

  /**
   * Scores a past observation day whose labels have landed by the first night, so that the nightly
   * drift runs have a labelled window to evaluate into {@code performance_metrics}.
   */
  private String backfill(JobRunner stages, LocalDate day, LocalDate night) {
    check("snapshot", SnapshotCommand.run(stages, common, day, Map.of(), Map.of()));
    JobRunner.Outcome scored =
        check("score", ScoreCommand.run(stages, common, DEMO_MODEL, day, day, Optional.empty()));
    return String.format(
        "  Backfill: %s, an observation day whose churn labels all landed by %s, scored too (%s);"
            + " the nightly drift runs evaluate its window once it counts as labelled.",
        day, night, scoredRows(scored));
  }

  /** {@code , performance of N labelled window(s)} when the drift run evaluated any. */
  private static String labelledWindows(JobRunner.Outcome drift) {
    Object windows = drift.result().metrics().getOrDefault("performance.windows", 0);
    return ((Number) windows).intValue() == 0
        ? ""
        : ", performance of " + windows + " labelled window(s) recorded";
  }

  /** The AUC per version on the backfilled, labelled window, from {@code performance_metrics}. */
  private static String performance(JobEnv env, LocalDate day) {
    if (!env.lake().exists(SluiceTables.PERFORMANCE_METRICS)) {
      return "  Performance: no labelled window was evaluated.";
    }
    List<String> parts = new ArrayList<>();
    for (Row row :
        env.lake()
            .read(SluiceTables.PERFORMANCE_METRICS)
            .where(
                col("model_name")
                    .equalTo(DEMO_MODEL)
                    .and(col("window_end").equalTo(Date.valueOf(day)))
                    .and(col("granularity").equalTo("1d"))
                    .and(col("metric").equalTo("auc_roc")))
            .orderBy("model_version")
            .select("model_version", "value", "label_count")
            .collectAsList()) {
      parts.add(
          String.format(
              "v%d auc_roc %.4f on %,d labelled rows",
              row.getLong(0), row.getDouble(1), row.getLong(2)));
    }
    return String.format(
        "  Performance once labels landed, window %s: %s (mostly in-sample: the demo's models"
            + " trained on every label landed by the sample's end; ./sluice sql -f"
            + " docs/sql/performance_once_labels_land.sql).",
        day, String.join(", ", parts));
  }

  /** Rows scored per version and cohort, e.g. {@code v1.champion 13,771, v2.canary 1,492}. */
  private static String scoredRows(JobRunner.Outcome scored) {
    List<String> parts = new ArrayList<>();
    scored
        .result()
        .orderedMetrics()
        .forEach(
            (key, value) -> {
              if (key.startsWith("rows.")) {
                parts.add(String.format("%s %,d", key.substring(5), ((Number) value).longValue()));
              }
            });
    return String.join(", ", parts);
  }

  /** The columns with a drift alert in the window ending at {@code day}. */
  private static List<String> alertedColumns(JobEnv env, LocalDate day) {
    return env
        .lake()
        .read(SluiceTables.ALERTS)
        .where(col("window_end").equalTo(Date.valueOf(day)).and(col("column_name").isNotNull()))
        .select("column_name")
        .distinct()
        .orderBy("column_name")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  /** A stage whose exit 5 is a policy decision the demo reports, not a failure. */
  private static JobRunner.Outcome policy(String stage, JobRunner.Outcome outcome) {
    if (outcome.exitCode() != 0 && outcome.exitCode() != ErrorCode.POLICY.exitCode()) {
      throw PipelineErrors.stageFailed(stage, outcome.exitCode(), outcome.error().orElse(""));
    }
    return outcome;
  }

  private static JobRunner.Outcome check(String stage, JobRunner.Outcome outcome) {
    if (outcome.exitCode() != 0) {
      throw PipelineErrors.stageFailed(stage, outcome.exitCode(), outcome.error().orElse(""));
    }
    return outcome;
  }

  /** Prints the human report just before the demo's summary line, so that line stays last. */
  private static final class DeferredOut extends PrintStream {
    private final PrintStream target;
    private final List<String> report;

    DeferredOut(PrintStream target, List<String> report) {
      super(target, true);
      this.target = target;
      this.report = report;
    }

    @Override
    public void println(String summary) {
      report.forEach(target::println);
      target.println(summary);
    }
  }
}
