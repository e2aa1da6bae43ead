/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.drift.DriftComparison;
import dev.sluice.drift.DriftComparison.Result;
import dev.sluice.drift.DriftPolicy.Severity;
import dev.sluice.drift.DriftRecords;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.WindowProfile;
import dev.sluice.drift.WindowProfiler;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.Futures;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.train.TrainSpec;
import dev.sluice.model.BaselineRecords;
import dev.sluice.model.ColumnProfile;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sluice drift}: each window's served scoring inputs and scores are profiled on the model
 * versions' baseline bins in one aggregation ({@link WindowProfiler}) into {@code profile_metrics},
 * compared with the training baseline and with the previous window's stored profile into {@code
 * drift_metrics}; breaches of the policy become {@code alerts} (see {@link DriftAlerts}). Each
 * table gets one commit per run, replacing the run's windows, so a rerun replaces.
 */
final class Drifter {
  private final JobEnv env;

  Drifter(JobEnv env) {
    this.env = env;
  }

  /** The windows of {@code from..to}: each day, or the 7-day windows ending at {@code to}. */
  static List<Window> windows(LocalDate from, LocalDate to, String granularity) {
    List<Window> windows = new ArrayList<>();
    int days = granularity.equals("1w") ? 7 : 1;
    for (LocalDate end = to; !end.isBefore(from); end = end.minusDays(days)) {
      windows.add(0, new Window(end.minusDays(days - 1), end, granularity));
    }
    return windows;
  }

  void run(
      String model, String entity, LocalDate from, LocalDate to, DriftSpec spec, JobResult result) {
    if (!env.lake().exists(SluiceTables.SCORING_INPUTS)
        || !env.lake().exists(SluiceTables.MODEL_BASELINES)) {
      throw PipelineErrors.upstreamMissing(
          String.format(
              "No scoring inputs or model baselines in the lake yet (run `sluice train` and"
                  + " `sluice score --model %s --date %s`)",
              model, to));
    }
    List<Window> windows = windows(from, to, spec.granularity());
    Window before = previousWindow(windows.get(0));
    // The previous window's stored profiles do not depend on anything below: read meanwhile.
    CompletableFuture<List<WindowProfile>> stored =
        CompletableFuture.supplyAsync(
            () ->
                env.stages()
                    .stage(
                        "previous",
                        "the stored profiles of " + before.start() + ".." + before.end(),
                        () -> stored(model, before)));
    Map<Long, List<ColumnProfile>> baselines = new TreeMap<>();
    Map<Long, ColumnProfile> labelBaselines = new TreeMap<>();
    env.stages()
        .stage(
            "baselines",
            "the baselines of " + model,
            () ->
                BaselineRecords.fromRows(
                    pinned(SluiceTables.MODEL_BASELINES, result)
                        .where(col("model_name").equalTo(model))
                        .collectAsList()))
        .forEach(
            (version, columns) -> {
              baselines.put(
                  version,
                  columns.stream().filter(c -> !c.name().equals(BaselineRecords.LABEL)).toList());
              columns.stream()
                  .filter(c -> c.name().equals(BaselineRecords.LABEL))
                  .forEach(c -> labelBaselines.put(version, c));
            });
    if (baselines.isEmpty()) {
      throw PipelineErrors.upstreamMissing(
          "Model " + model + " has no baseline in model_baselines (run `sluice train`)");
    }
    Map<String, Column> slices = new LinkedHashMap<>();
    new TreeMap<>(spec.slices()).forEach((name, sql) -> slices.put(name, expr(sql)));
    Dataset<Row> inputs = served(pinned(SluiceTables.SCORING_INPUTS, result), model);
    Dataset<Row> scores = served(pinned(SluiceTables.PREDICTIONS, result), model);
    TrainSpec train = TrainSpec.fromModel(env.config().reader(), model);
    String score = train.task().scoreColumn();

    Instant at = Instant.now();
    String runId = env.run().runId();
    List<Row> profileRows = new ArrayList<>();
    List<Row> driftRows = new ArrayList<>();
    List<DriftAlerts.Judged> judged = new ArrayList<>();
    Map<String, WindowProfile> previous = new LinkedHashMap<>();
    for (Window w : windows) {
      Dataset<Row> frame =
          inputs
              .where(between(w))
              .join(
                  scores.where(between(w)).select(entity, "score_date", "model_version", score),
                  new String[] {entity, "score_date", "model_version"});
      List<WindowProfile> profiles =
          env.stages()
              .stage(
                  "profile-" + w.end(),
                  String.format("profile %s..%s (one aggregation)", w.start(), w.end()),
                  () -> WindowProfiler.profile(frame, "model_version", baselines, slices));
      if (w == windows.get(0)) {
        Futures.join(stored).forEach(p -> previous.put(key(p), p));
      }
      Map<String, WindowProfile> current = new LinkedHashMap<>();
      for (WindowProfile p : profiles) {
        current.put(key(p), p);
        result.modelInput(model, p.modelVersion()); // lineage: the versions this run profiled
        profileRows.add(DriftRecords.profileRow(model, w, p, runId, at));
        ColumnProfile baseline = baselineOf(baselines, p);
        Result vsBaseline =
            DriftComparison.compare(
                DriftComparison.BASELINE, p, baseline, List.of(), spec.policy());
        judged.add(new DriftAlerts.Judged(w, vsBaseline));
        driftRows.add(DriftRecords.driftRow(model, w, Optional.empty(), vsBaseline, runId, at));
        WindowProfile last = previous.get(key(p));
        if (last != null) {
          Result vsPrevious =
              DriftComparison.compare(
                  DriftComparison.CONSECUTIVE,
                  p,
                  last.profile(),
                  last.unseenCategories(),
                  spec.policy());
          driftRows.add(
              DriftRecords.driftRow(
                  model, w, Optional.of(previousWindow(w)), vsPrevious, runId, at));
        }
      }
      result.metric("windows." + w.end() + ".profiles", profiles.size());
      previous.clear();
      previous.putAll(current);
    }
    if (profileRows.isEmpty()) {
      throw PipelineErrors.upstreamMissing(
          String.format(
              "No served scoring inputs of %s between %s and %s (run `sluice score --model %s"
                  + " --from %s --to %s`)",
              model, windows.get(0).start(), to, model, windows.get(0).start(), to));
    }
    String where =
        String.format(
            "model_name = '%s' AND granularity = '%s' AND window_end >= DATE'%s' AND window_end"
                + " <= DATE'%s'",
            model, spec.granularity(), windows.get(0).end(), to);
    Dataset<Row> profileFrame =
        env.spark().createDataFrame(profileRows, DriftRecords.PROFILE_METRICS).coalesce(1);
    Dataset<Row> driftFrame =
        env.spark().createDataFrame(driftRows, DriftRecords.DRIFT_METRICS).coalesce(1);
    env.stages()
        .stage(
            "metrics",
            String.format(
                "profile_metrics (%d rows) and drift_metrics (%d rows)",
                profileRows.size(), driftRows.size()),
            () -> {
              // Two tables, two independent commits: written at once.
              CompletableFuture<TableVersion> drift =
                  CompletableFuture.supplyAsync(
                      () -> replace(SluiceTables.DRIFT_METRICS, driftFrame, where));
              result.output(replace(SluiceTables.PROFILE_METRICS, profileFrame, where));
              result.output(Futures.join(drift));
            });
    env.catalog().register(SluiceTables.PROFILE_METRICS);
    env.catalog().register(SluiceTables.DRIFT_METRICS);
    result.metric("profiles", profileRows.size());
    result.metric("comparisons", driftRows.size());
    result.metric(
        "drifted",
        judged.stream().filter(j -> j.result().verdict().severity() == Severity.ALERT).count());
    if (spec.performance().isPresent()) {
      env.stages()
          .stage(
              "performance",
              "performance of the labelled windows",
              () ->
                  new Performance(env)
                      .evaluate(
                          model,
                          entity,
                          train,
                          spec,
                          spec.performance().get(),
                          to,
                          scores,
                          labelBaselines,
                          result));
    }
    env.stages()
        .stage(
            "alerts",
            "alerts by the policy",
            () -> new DriftAlerts(env).raise(model, score, windows, judged, spec, result));
  }

  /** Replaces the run's windows in a metrics table, in one commit. */
  private TableVersion replace(TableId table, Dataset<Row> rows, String where) {
    return DeltaWriter.replaceWhere(
        env.lake(),
        table,
        rows,
        where,
        List.of("model_name", "granularity"),
        env.run().commitTag());
  }

  /** The table at its current version, which the run records as its input (lineage). */
  private Dataset<Row> pinned(TableId table, JobResult result) {
    TableVersion version = env.lake().latest(table);
    result.input(version);
    return env.lake().readAt(table, version.version());
  }

  private static Dataset<Row> served(Dataset<Row> rows, String model) {
    return rows.where(col("model_name").equalTo(model).and(col("served").equalTo(lit(true))));
  }

  private static Column between(Window w) {
    return col("score_date")
        .geq(lit(Date.valueOf(w.start())))
        .and(col("score_date").leq(lit(Date.valueOf(w.end()))));
  }

  /** The previous window's stored profiles (CONSECUTIVE needs no rescan of its rows). */
  private List<WindowProfile> stored(String model, Window window) {
    if (!env.lake().exists(SluiceTables.PROFILE_METRICS)) {
      return List.of();
    }
    return env
        .lake()
        .read(SluiceTables.PROFILE_METRICS)
        .where(
            col("model_name")
                .equalTo(model)
                .and(col("granularity").equalTo(window.granularity()))
                .and(col("window_end").equalTo(lit(Date.valueOf(window.end())))))
        .collectAsList()
        .stream()
        .map(DriftRecords::readProfile)
        .toList();
  }

  private static Window previousWindow(Window w) {
    int days = w.granularity().equals("1w") ? 7 : 1;
    return new Window(w.start().minusDays(days), w.end().minusDays(days), w.granularity());
  }

  private static String key(WindowProfile p) {
    return p.modelVersion() + "|" + p.sliceKey() + "|" + p.sliceValue() + "|" + p.profile().name();
  }

  private static ColumnProfile baselineOf(
      Map<Long, List<ColumnProfile>> baselines, WindowProfile p) {
    return baselines.get(p.modelVersion()).stream()
        .filter(b -> b.name().equals(p.profile().name()))
        .findFirst()
        .orElseThrow();
  }
}
