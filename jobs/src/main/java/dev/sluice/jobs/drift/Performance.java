/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.drift.DriftComparison;
import dev.sluice.drift.DriftComparison.Result;
import dev.sluice.drift.DriftPolicy;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.PerformanceRecords;
import dev.sluice.drift.PerformanceRecords.LabelState;
import dev.sluice.drift.WindowProfile;
import dev.sluice.drift.WindowProfiler;
import dev.sluice.error.ErrorCode;
import dev.sluice.error.PipelineErrors;
import dev.sluice.error.SluiceException;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.train.Task;
import dev.sluice.jobs.train.TrainSpec;
import dev.sluice.model.ColumnProfile;
import dev.sluice.model.ModelEvaluation;
import dev.sluice.snapshot.SnapshotPin;
import dev.sluice.snapshot.SnapshotResolver;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performance and label drift of the served scores once labels have landed ({@code
 * performance_metrics}). As of the run's date, a window is labelled when {@code horizon-days} lie
 * behind its end; each run evaluates the labelled windows of its grid within {@code lookback-days}
 * whose labelled rows changed since they were last evaluated (late labels, a rescore), replacing
 * those windows' rows in one commit, and leaves the others alone.
 */
final class Performance {
  private static final Logger LOG = LoggerFactory.getLogger(Performance.class);

  static final String LABEL = "_label";
  private static final String LANDED = "_landed";
  private static final String WINDOW_END = "_window_end";

  private final JobEnv env;

  Performance(JobEnv env) {
    this.env = env;
  }

  /**
   * The labelled windows of the grid ending at {@code asOf} (ends {@code asOf - k * step}) whose
   * end lies within the lookback, oldest first.
   */
  static List<Window> candidates(PerformanceSpec spec, String granularity, LocalDate asOf) {
    return Drifter.windows(asOf.minusDays(spec.lookbackDays()), asOf, granularity).stream()
        .filter(w -> spec.labelled(w.end(), asOf) && spec.inLookback(w.end(), asOf))
        .toList();
  }

  /**
   * Evaluates the changed labelled windows as of {@code asOf}.
   *
   * @param scores the model's served predictions (at the version the run records)
   * @param labelBaselines each version's label baseline, where it has one
   */
  void evaluate(
      String model,
      String entity,
      TrainSpec train,
      DriftSpec drift,
      PerformanceSpec spec,
      LocalDate asOf,
      Dataset<Row> scores,
      Map<Long, ColumnProfile> labelBaselines,
      JobResult result) {
    List<Window> windows = candidates(spec, drift.granularity(), asOf);
    result.metric("performance.windows", 0);
    if (windows.isEmpty()) {
      return;
    }
    int step = drift.granularity().equals("1w") ? 7 : 1;
    Column windowEnd =
        date_sub(
            lit(Date.valueOf(asOf)),
            floor(datediff(lit(Date.valueOf(asOf)), col("score_date")).divide(step))
                .multiply(step)
                .cast("int"));
    Dataset<Row> windowScores =
        scores
            .where(
                col("score_date")
                    .between(
                        Date.valueOf(windows.get(0).start()),
                        Date.valueOf(windows.get(windows.size() - 1).end())))
            .withColumn(WINDOW_END, windowEnd);
    if (windowScores.isEmpty()) {
      return;
    }
    Optional<SnapshotSet> pins = pins(asOf, result);
    if (pins.isEmpty()) {
      return;
    }
    TableId table = TableId.of(spec.table());
    SnapshotPin pin =
        pins.get()
            .pin(table)
            .orElseThrow(
                () ->
                    PipelineErrors.invalidConfig(
                        "drift.performance.labels.table",
                        spec.table(),
                        "must be a source table pinned by `sluice snapshot`"));
    Dataset<Row> labelled =
        windowScores
            .join(landedLabels(pins.get(), table, spec, entity, asOf, result), joinKeys(entity))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, LabelState> current = states(labelled);
      Map<String, LabelState> stored = stored(model, drift.granularity(), windows);
      List<Window> changed =
          windows.stream()
              .filter(w -> changed(w, current, stored))
              .collect(Collectors.toCollection(ArrayList::new));
      result.metric("performance.windows", changed.size());
      result.metric("performance.unchanged", windows.size() - changed.size());
      if (changed.isEmpty()) {
        return;
      }
      List<Row> rows = new ArrayList<>();
      Instant at = Instant.now();
      for (Window w : changed) {
        for (var e : current.entrySet()) {
          if (!e.getKey().startsWith(w.end() + "|")) {
            continue;
          }
          long version = Long.parseLong(e.getKey().substring(e.getKey().indexOf('|') + 1));
          Dataset<Row> rowsOf =
              labelled.where(
                  col(WINDOW_END)
                      .equalTo(lit(Date.valueOf(w.end())))
                      .and(col("model_version").equalTo(version)));
          Map<String, Double> metrics =
              env.stages()
                  .stage(
                      "performance-" + w.end() + "-v" + version,
                      String.format(
                          "performance of version %d on %s..%s", version, w.start(), w.end()),
                      () ->
                          metrics(
                              train,
                              drift.policy(),
                              rowsOf,
                              version,
                              Optional.ofNullable(labelBaselines.get(version))));
          metrics.forEach(
              (metric, value) ->
                  rows.add(
                      PerformanceRecords.row(
                          model,
                          version,
                          w,
                          metric,
                          value,
                          e.getValue(),
                          spec.table(),
                          pin.deltaVersion(),
                          env.run().runId(),
                          at)));
        }
      }
      String where =
          String.format(
              "model_name = '%s' AND granularity = '%s' AND window_end IN (%s)",
              model,
              drift.granularity(),
              changed.stream().map(w -> "DATE'" + w.end() + "'").collect(Collectors.joining(", ")));
      result.output(
          DeltaWriter.replaceWhere(
              env.lake(),
              SluiceTables.PERFORMANCE_METRICS,
              env.spark().createDataFrame(rows, PerformanceRecords.SCHEMA).coalesce(1),
              where,
              List.of("model_name", "granularity"),
              env.run().commitTag()));
      env.catalog().register(SluiceTables.PERFORMANCE_METRICS);
    } finally {
      labelled.unpersist();
    }
  }

  /** The snapshot of {@code asOf}; without one, performance waits for a later run (logged). */
  private Optional<SnapshotSet> pins(LocalDate asOf, JobResult result) {
    try {
      return Optional.of(SnapshotResolver.resolve(env.lake(), asOf, Optional.empty()));
    } catch (SluiceException e) {
      if (e.code() != ErrorCode.UPSTREAM_MISSING) {
        throw e;
      }
      String reason =
          String.format(
              "skipped: no snapshot of %s to read labels at (run `sluice snapshot --date %s`)",
              asOf, asOf);
      LOG.warn("Performance {}", reason);
      result.metric("performance", reason);
      return Optional.empty();
    }
  }

  /**
   * The labels that had landed by the end of {@code asOf}, read at the snapshot's pin: per entity
   * and date the latest landed label (a correction replaces the label it corrects).
   */
  private Dataset<Row> landedLabels(
      SnapshotSet pins,
      TableId table,
      PerformanceSpec spec,
      String entity,
      LocalDate asOf,
      JobResult result) {
    Dataset<Row> raw = pins.read(env.lake(), table, result);
    for (String c : List.of(spec.entity(), spec.date(), spec.label(), spec.landed())) {
      if (!List.of(raw.columns()).contains(c)) {
        throw PipelineErrors.invalidConfig(
            "drift.performance.labels",
            c,
            "must be a column of " + spec.table() + " (columns: " + List.of(raw.columns()) + ")");
      }
    }
    Timestamp endOfDay =
        Timestamp.from(asOf.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    return raw.where(col(spec.landed()).lt(lit(endOfDay)))
        .select(
            col(spec.entity()).as(entity),
            col(spec.date()).cast("date").as("score_date"),
            col(spec.label()).cast("double").as(LABEL),
            col(spec.landed()).cast("timestamp").as(LANDED))
        .groupBy(entity, "score_date")
        .agg(max_by(col(LABEL), col(LANDED)).as(LABEL), max(LANDED).as(LANDED));
  }

  private static scala.collection.Seq<String> joinKeys(String entity) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(entity, "score_date")).toSeq();
  }

  /** Per "window end|version": what its metrics are computed from (one aggregation). */
  private static Map<String, LabelState> states(Dataset<Row> labelled) {
    Map<String, LabelState> states = new TreeMap<>();
    for (Row r :
        labelled
            .groupBy(WINDOW_END, "model_version")
            .agg(
                count(lit(1)).as("n"),
                max(LANDED).as("landed"),
                xxhash64(sort_array(collect_set(col("run_id")))).as("runs"))
            .collectAsList()) {
      Timestamp landed = r.getAs("landed");
      states.put(
          r.<Date>getAs(WINDOW_END).toLocalDate() + "|" + r.<Long>getAs("model_version"),
          new LabelState(
              r.<Long>getAs("n"),
              Optional.ofNullable(landed).map(Timestamp::toInstant),
              r.<Long>getAs("runs")));
    }
    return states;
  }

  /** The states the stored rows of these windows were computed from. */
  private Map<String, LabelState> stored(String model, String granularity, List<Window> windows) {
    Map<String, LabelState> stored = new LinkedHashMap<>();
    if (!env.lake().exists(SluiceTables.PERFORMANCE_METRICS)) {
      return stored;
    }
    for (Row r :
        env.lake()
            .read(SluiceTables.PERFORMANCE_METRICS)
            .where(
                col("model_name")
                    .equalTo(model)
                    .and(col("granularity").equalTo(granularity))
                    .and(
                        col("window_end")
                            .isin(windows.stream().map(w -> Date.valueOf(w.end())).toArray())))
            .select(
                "window_end",
                "model_version",
                "label_count",
                "labels_landed_max_ts",
                "scores_fingerprint")
            .distinct()
            .collectAsList()) {
      stored.put(
          r.<Date>getAs("window_end").toLocalDate() + "|" + r.<Long>getAs("model_version"),
          PerformanceRecords.stateOf(r));
    }
    return stored;
  }

  /** A window changed when any version's labelled rows differ from what was last evaluated. */
  static boolean changed(
      Window w, Map<String, LabelState> current, Map<String, LabelState> stored) {
    String prefix = w.end() + "|";
    Map<String, LabelState> now = filter(current, prefix);
    return !now.isEmpty() && !now.equals(filter(stored, prefix));
  }

  private static Map<String, LabelState> filter(Map<String, LabelState> states, String prefix) {
    Map<String, LabelState> out = new TreeMap<>();
    states.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * The model's metrics on one window's labelled rows (ModelEvaluation, as at training) and label
   * drift: the label mean against the baseline's and, on the baseline's bins, PSI and JS distance.
   */
  private static Map<String, Double> metrics(
      TrainSpec train,
      DriftPolicy policy,
      Dataset<Row> rows,
      long version,
      Optional<ColumnProfile> baseline) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    boolean binary = train.task() == Task.BINARY_CLASSIFICATION;
    try {
      metrics.putAll(
          binary
              ? ModelEvaluation.binary(
                      rows,
                      LABEL,
                      train.task().scoreColumn(),
                      train.threshold(),
                      train.calibrationBins())
                  .asMetrics()
              : ModelEvaluation.regression(rows, LABEL, train.task().scoreColumn()).asMetrics());
    } catch (IllegalArgumentException e) {
      throw PipelineErrors.dataQualityFailed(
          List.of("labels of model version " + version + ": " + e.getMessage()));
    }
    Row mean = rows.agg(org.apache.spark.sql.functions.avg(LABEL)).first();
    metrics.put("label_mean", mean.isNullAt(0) ? Double.NaN : mean.getDouble(0));
    if (baseline.isPresent()) {
      ColumnProfile b = baseline.get();
      metrics.put("baseline_label_mean", baselineMean(b));
      Dataset<Row> labels =
          rows.select(
              col("model_version"),
              binary ? col(LABEL).cast("int").as(b.name()) : col(LABEL).as(b.name()));
      WindowProfile profile =
          WindowProfiler.profile(labels, "model_version", Map.of(version, List.of(b)), Map.of())
              .get(0);
      Result drift =
          DriftComparison.compare(DriftComparison.BASELINE, profile, b, List.of(), policy);
      metrics.put("label_psi", drift.psi());
      metrics.put("label_js_distance", drift.jsDistance());
    }
    return metrics;
  }

  /** The baseline's label mean: the share of category 1, or the numeric mean. */
  static double baselineMean(ColumnProfile b) {
    if (b.stats().isPresent()) {
      return b.stats().get().mean();
    }
    long binned = b.bins().stream().mapToLong(ColumnProfile.Bin::count).sum();
    long ones =
        b.bins().stream()
            .filter(bin -> bin.category().equals(Optional.of("1")))
            .mapToLong(ColumnProfile.Bin::count)
            .sum();
    return binned == 0 ? Double.NaN : (double) ones / binned;
  }
}
