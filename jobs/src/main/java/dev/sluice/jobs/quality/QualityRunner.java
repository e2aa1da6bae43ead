/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.quality.QualityCheck;
import dev.sluice.quality.QualityConfig;
import dev.sluice.quality.QualityGate;
import dev.sluice.quality.QualityResult;
import dev.sluice.snapshot.SnapshotPin;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Runs the data-quality gate on pinned sources, for {@code sluice quality check} and inside the
 * jobs that read sources. A table version that already passed its gate is not checked again.
 * Results go to {@code data_quality}, Deequ's metrics to {@code data_quality_metrics} (mirroring
 * the metrics repository under {@code _sluice/deequ/}), failing rows to {@code <table>_quarantine}
 * when configured; an error-level failure then stops the job with exit 3.
 */
public final class QualityRunner {
  static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField("run_id", StringType, false),
              createStructField("run_key", StringType, false),
              createStructField("table_name", StringType, false),
              createStructField("table_version", LongType, false),
              createStructField("check_level", StringType, false),
              createStructField("constraint", StringType, false),
              createStructField("status", StringType, false),
              createStructField("metric_value", DoubleType, true),
              createStructField("message", StringType, true),
              createStructField("at_ts", TimestampType, false)));

  private final JobEnv env;
  private final QualityConfig config;

  public QualityRunner(JobEnv env) {
    this.env = env;
    this.config = QualityConfig.from(env.config().reader());
  }

  public QualityConfig config() {
    return config;
  }

  /**
   * Checks every pinned table that has checks (or only {@code only}, when not empty), writes the
   * results, and fails with exit 3 on an error-level failure.
   */
  public void gate(SnapshotSet pins, List<String> only, JobResult result) {
    Lakehouse lake = env.lake();
    List<Row> rows = new ArrayList<>();
    List<Dataset<Row>> metrics = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long quarantined = 0;
    List<String> checked = new ArrayList<>();
    for (SnapshotPin pin : pins.pins()) {
      String table = pin.sourceTable();
      List<QualityCheck> checks = config.checks(table);
      if (checks.isEmpty() || (!only.isEmpty() && !only.contains(table))) {
        continue;
      }
      if (alreadyPassed(table, pin.deltaVersion())) {
        env.stages()
            .stage(
                "gate-" + table,
                table + "@" + pin.deltaVersion() + " already passed its gate",
                () -> {});
        continue;
      }
      Dataset<Row> data = pins.read(lake, TableId.of(table), result);
      checked.add(table);
      QualityGate.Report report =
          env.stages()
              .stage(
                  "gate-" + table,
                  String.format(
                      "check %s@%s (%s checks, Deequ)", table, pin.deltaVersion(), checks.size()),
                  () ->
                      QualityGate.run(
                          env.spark(),
                          table,
                          pin.deltaVersion(),
                          data,
                          checks,
                          config.maxRowCountChange(),
                          lake.systemPath("deequ", table, "metrics.json").toString()));
      for (QualityResult r : report.results()) {
        rows.add(row(r));
        if (r.failedError()) {
          errors.add(
              String.format(
                  "%s@%s %s observed %s",
                  table,
                  r.version(),
                  r.constraint(),
                  r.metricValue().map(String::valueOf).orElse("n/a")));
        }
      }
      metrics.add(
          report
              .metrics()
              .withColumn("table_name", lit(table))
              .withColumn("table_version", lit(pin.deltaVersion()))
              .withColumn("run_id", lit(env.run().runId()))
              .withColumn("run_key", lit(env.run().runKey().value()))
              .withColumn("at_ts", lit(Timestamp.from(Instant.now()))));
      if (config.quarantines(table)) {
        quarantined += quarantine(table, pin.deltaVersion(), data, checks, result);
      }
    }
    if (!rows.isEmpty()) {
      // A rerun of the run key (e.g. after fixing the data) replaces its results of the tables
      // it checked; tables skipped because they passed before keep theirs.
      String sameRunKey =
          String.format(
              "run_key = '%s' AND table_name IN (%s)",
              env.run().runKey(),
              checked.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")));
      result.output(
          DeltaWriter.replaceWhere(
              lake,
              SluiceTables.DATA_QUALITY,
              env.spark().createDataFrame(rows, SCHEMA).coalesce(1),
              sameRunKey,
              env.run().commitTag()));
      result.output(
          DeltaWriter.replaceWhere(
              lake,
              SluiceTables.DATA_QUALITY_METRICS,
              metrics.stream().reduce(Dataset::unionByName).orElseThrow().coalesce(1),
              sameRunKey,
              env.run().commitTag()));
      result.metric("quality.constraints", rows.size());
      result.metric("quality.errors", errors.size());
      result.metric("quality.quarantined_rows", quarantined);
    }
    if (!errors.isEmpty()) {
      throw PipelineErrors.dataQualityFailed(errors);
    }
  }

  /** The pinned rows that pass the table's row-level checks: what downstream stages read. */
  public Dataset<Row> validRows(String table, Dataset<Row> pinned) {
    return QualityGate.validRows(pinned, config.checks(table));
  }

  private long quarantine(
      String table, long version, Dataset<Row> data, List<QualityCheck> checks, JobResult result) {
    Dataset<Row> failing =
        QualityGate.failingRows(data, checks)
            .withColumn("_source_version", lit(version))
            .withColumn("_run_id", lit(env.run().runId()))
            .withColumn("_run_key", lit(env.run().runKey().value()))
            .cache();
    long count = failing.count();
    TableId target = SluiceTables.quarantine(table);
    result.output(
        DeltaWriter.replaceWhere(
            env.lake(),
            target,
            failing.coalesce(1),
            String.format("_source_version = %s", version),
            env.run().commitTag()));
    failing.unpersist();
    env.catalog().register(target);
    return count;
  }

  private boolean alreadyPassed(String table, long version) {
    Lakehouse lake = env.lake();
    if (!lake.exists(SluiceTables.DATA_QUALITY)) {
      return false;
    }
    // One pass: whether the version has results, and how many are error-level failures.
    Row previous =
        lake.read(SluiceTables.DATA_QUALITY)
            .where(col("table_name").equalTo(table).and(col("table_version").equalTo(version)))
            .agg(
                count(lit(1)),
                count(
                    when(
                        col("check_level").equalTo("error").and(col("status").equalTo("failure")),
                        1)))
            .first();
    return previous.getLong(0) > 0 && previous.getLong(1) == 0;
  }

  private Row row(QualityResult r) {
    return RowFactory.create(
        env.run().runId(),
        env.run().runKey().value(),
        r.table(),
        r.version(),
        r.level().configName(),
        r.constraint(),
        r.status(),
        r.metricValue().orElse(null),
        r.message().isEmpty() ? null : r.message(),
        Timestamp.from(Instant.now()));
  }
}
