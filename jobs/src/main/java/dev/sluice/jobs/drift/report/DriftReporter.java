/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.drift.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.drift.DriftComparison;
import dev.sluice.drift.DriftRecords;
import dev.sluice.drift.DriftRecords.Window;
import dev.sluice.drift.WindowProfile;
import dev.sluice.drift.WindowProfiler;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.jobs.drift.DriftSpec;
import dev.sluice.jobs.drift.report.DriftReport.Alert;
import dev.sluice.jobs.drift.report.ReportRows.DriftPoint;
import dev.sluice.model.BaselineRecords;
import dev.sluice.model.ColumnProfile;
import dev.sluice.registry.ModelVersion;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sluice drift report}: reads what {@code sluice drift} stored for one window and the
 * windows before it ({@code profile_metrics}, {@code drift_metrics}, {@code alerts}) and the model
 * version's baseline ({@code model_baselines}), each at its current version (recorded as the run's
 * inputs), renders the HTML report, writes it to a local file and logs it as the artifact {@code
 * drift/drift-<window end>.html} of the MLflow run that produced the version.
 */
final class DriftReporter {
  private final JobEnv env;

  DriftReporter(JobEnv env) {
    this.env = env;
  }

  /** The report's options. */
  record Request(
      String model,
      Optional<LocalDate> date,
      Optional<Long> version,
      DriftSpec spec,
      Optional<Path> out) {}

  void run(Request request, JobResult result) {
    String model = request.model();
    String granularity = request.spec().granularity();
    Map<String, Long> inputs = new LinkedHashMap<>();
    if (!env.lake().exists(SluiceTables.PROFILE_METRICS)) {
      throw noProfiles(model, granularity, request.date());
    }
    Dataset<Row> profiles =
        pinned(SluiceTables.PROFILE_METRICS, result, inputs)
            .where(
                col("model_name")
                    .equalTo(model)
                    .and(col("granularity").equalTo(granularity))
                    .and(col("slice_key").equalTo(WindowProfiler.ALL)));
    List<LocalDate> ends =
        profiles.select("window_end").distinct().collectAsList().stream()
            .map(r -> r.getDate(0).toLocalDate())
            .sorted()
            .toList();
    if (ends.isEmpty()) {
      throw noProfiles(model, granularity, request.date());
    }
    LocalDate end = request.date().orElse(ends.get(ends.size() - 1));
    if (!ends.contains(end)) {
      throw PipelineErrors.driftWindowMissing(
          model, granularity, end, ends, granularity.equals("1w") ? 7 : 1);
    }
    List<Row> windowRows =
        profiles.where(col("window_end").equalTo(lit(Date.valueOf(end)))).collectAsList();
    List<WindowProfile> window = windowRows.stream().map(DriftRecords::readProfile).toList();
    long version = DriftReportModel.version(window, request.version(), end);
    LocalDate start = windowRows.get(0).<Date>getAs("window_start").toLocalDate();

    DriftReport report =
        DriftReportModel.build(
            model,
            new Window(start, end, granularity),
            version,
            window,
            baseline(model, version, result, inputs),
            driftPoints(model, granularity, version, end, result, inputs),
            alerts(model, end, result, inputs),
            request.spec().policy(),
            inputs);
    result.modelInput(model, version);
    Path file =
        ReportPaths.of(
            request.out(),
            env.config().reader().string(ReportPaths.DIR_KEY),
            env.config().lake(),
            model,
            end);
    write(file, ReportRenderer.render(report, Instant.now()));
    if (request.out().isEmpty() && !env.config().lake().isLocal()) {
      env.stages()
          .note(
              String.format(
                  "the lake root %s is not a local folder: the report is in %s (set %s or --out)",
                  env.config().lake().root(), file, "sluice." + ReportPaths.DIR_KEY));
    }
    result.metric("report", file.toString());
    result.metric("window", end.toString());
    result.metric("model_version", version);
    result.metric("columns", report.columns().size());
    result.metric("drifted", report.drifted().size());
    result.metric("alerts", report.alerts().size());
    logArtifact(model, version, end, file).ifPresent(uri -> result.metric("artifact", uri));
  }

  private List<ColumnProfile> baseline(
      String model, long version, JobResult result, Map<String, Long> inputs) {
    if (!env.lake().exists(SluiceTables.MODEL_BASELINES)) {
      throw noBaseline(model, version);
    }
    List<ColumnProfile> baseline =
        BaselineRecords.fromRows(
                pinned(SluiceTables.MODEL_BASELINES, result, inputs)
                    .where(
                        col("model_name")
                            .equalTo(model)
                            .and(col("model_version").equalTo(lit(version))))
                    .collectAsList())
            .get(version);
    if (baseline == null) {
      throw noBaseline(model, version);
    }
    return baseline;
  }

  private List<DriftPoint> driftPoints(
      String model,
      String granularity,
      long version,
      LocalDate end,
      JobResult result,
      Map<String, Long> inputs) {
    if (!env.lake().exists(SluiceTables.DRIFT_METRICS)) {
      return List.of();
    }
    return pinned(SluiceTables.DRIFT_METRICS, result, inputs)
        .where(
            col("model_name")
                .equalTo(model)
                .and(col("granularity").equalTo(granularity))
                .and(col("model_version").equalTo(lit(version)))
                .and(col("slice_key").equalTo(WindowProfiler.ALL))
                .and(col("drift_type").equalTo(DriftComparison.BASELINE))
                .and(col("window_end").leq(lit(Date.valueOf(end)))))
        .collectAsList()
        .stream()
        .map(ReportRows::driftPoint)
        .toList();
  }

  private List<Alert> alerts(
      String model, LocalDate end, JobResult result, Map<String, Long> inputs) {
    if (!env.lake().exists(SluiceTables.ALERTS)) {
      return List.of();
    }
    return pinned(SluiceTables.ALERTS, result, inputs)
        .where(
            col("source")
                .equalTo("drift")
                .and(col("model_name").equalTo(model))
                .and(col("window_end").leq(lit(Date.valueOf(end)))))
        .collectAsList()
        .stream()
        .map(ReportRows::alert)
        .toList();
  }

  /**
   * Logs the report as {@code drift/drift-<end>.html} of the run that produced the version, beside
   * its {@code model/} and training {@code reports/}; returns its {@code runs:/} URI, or empty for
   * a version registered without a run.
   */
  private Optional<String> logArtifact(String model, long version, LocalDate end, Path file) {
    ModelVersion registered = env.registry().getModelVersion(model, version);
    if (registered.runId().isEmpty()) {
      env.stages()
          .note(
              String.format(
                  "%s version %d has no MLflow run: the report is not logged", model, version));
      return Optional.empty();
    }
    String runId = registered.runId().get();
    String name = ReportPaths.artifactFile(end);
    Path staging = null;
    try {
      staging = Files.createTempDirectory("sluice-drift-report");
      Files.copy(file, staging.resolve(name));
      env.registry().uploadArtifacts(runId, staging, "drift");
      Files.delete(staging.resolve(name));
      Files.delete(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage the report for upload in " + staging, e);
    }
    return Optional.of("runs:/" + runId + "/drift/" + name);
  }

  /** The table at its current version, recorded as an input (summary and lineage). */
  private Dataset<Row> pinned(TableId table, JobResult result, Map<String, Long> inputs) {
    TableVersion version = env.lake().latest(table);
    result.input(version);
    inputs.put(version.table(), version.version());
    return env.lake().readAt(table, version.version());
  }

  private static void write(Path file, String html) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, html);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file, e);
    }
  }

  private static RuntimeException noProfiles(
      String model, String granularity, Optional<LocalDate> date) {
    return PipelineErrors.upstreamMissing(
        String.format(
            "No %s drift profiles of model %s in profile_metrics (run `sluice drift --model %s"
                + " --date %s` first)",
            granularity, model, model, date.map(LocalDate::toString).orElse("D")));
  }

  private static RuntimeException noBaseline(String model, long version) {
    return PipelineErrors.upstreamMissing(
        String.format(
            "Model %s version %d has no baseline in model_baselines (retrain it with `sluice"
                + " train`)",
            model, version));
  }
}
