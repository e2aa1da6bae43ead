/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.job;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.table.Columns;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableVersion;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the audit trail of an attempt: its {@code job_runs} row and its {@code lineage} edges
 * (every input table@version to every output table@version), one Delta commit each.
 */
public final class JobRecords {
  public static final StructType JOB_RUNS_SCHEMA =
      createStructType(
          List.of(
              createStructField(Columns.RUN_ID, StringType, false),
              createStructField(Columns.RUN_KEY, StringType, false),
              createStructField(Columns.JOB, StringType, false),
              createStructField(Columns.LOGICAL_DATE, DataTypes.DateType, true),
              createStructField(Columns.STATUS, StringType, false),
              createStructField(Columns.STARTED_TS, TimestampType, false),
              createStructField(Columns.ENDED_TS, TimestampType, false),
              createStructField(Columns.DURATION_MS, LongType, false),
              createStructField(Columns.EXIT_CODE, IntegerType, false),
              createStructField("decision", StringType, true),
              createStructField(Columns.ERROR, StringType, true),
              createStructField(Columns.CONF_HASH, StringType, false),
              createStructField(Columns.CODE_VERSION, StringType, false)));

  public static final StructType LINEAGE_SCHEMA =
      createStructType(
          List.of(
              createStructField(Columns.RUN_ID, StringType, false),
              createStructField(Columns.RUN_KEY, StringType, false),
              createStructField(Columns.JOB, StringType, false),
              createStructField(Columns.INPUT_KIND, StringType, true),
              createStructField(Columns.INPUT_NAME, StringType, true),
              createStructField(Columns.INPUT_VERSION, LongType, true),
              createStructField(Columns.OUTPUT_KIND, StringType, false),
              createStructField(Columns.OUTPUT_NAME, StringType, false),
              createStructField(Columns.OUTPUT_VERSION, LongType, false),
              createStructField(Columns.CODE_VERSION, StringType, false),
              createStructField(Columns.CONF_HASH, StringType, false),
              createStructField(Columns.AT_TS, TimestampType, false)));

  private JobRecords() {}

  /** Appends the attempt's job_runs row. */
  public static TableVersion recordRun(
      Lakehouse lake, RunContext run, String status, int exitCode, String decision, String error) {
    Instant ended = Instant.now();
    Row row =
        RowFactory.create(
            run.runId(),
            run.runKey().value(),
            run.job(),
            run.date().map(Date::valueOf).orElse(null),
            status,
            Timestamp.from(run.startedAt()),
            Timestamp.from(ended),
            ended.toEpochMilli() - run.startedAt().toEpochMilli(),
            exitCode,
            decision,
            error,
            run.confHash(),
            run.codeVersion());
    return DeltaWriter.append(
        lake,
        SluiceTables.JOB_RUNS,
        lake.spark().createDataFrame(List.of(row), JOB_RUNS_SCHEMA).coalesce(1),
        run.commitTag());
  }

  /**
   * Appends one edge per (input, output) pair; a job with outputs but no inputs gets edges with an
   * empty input side. Returns empty when the attempt wrote nothing.
   */
  public static java.util.Optional<TableVersion> recordLineage(
      Lakehouse lake, RunContext run, List<LineageNode> inputs, List<LineageNode> outputs) {
    if (outputs.isEmpty()) {
      return java.util.Optional.empty();
    }
    Timestamp at = Timestamp.from(Instant.now());
    List<Row> edges = new ArrayList<>();
    for (LineageNode out : outputs) {
      if (inputs.isEmpty()) {
        edges.add(edge(run, null, out, at));
      }
      for (LineageNode in : inputs) {
        edges.add(edge(run, in, out, at));
      }
    }
    return java.util.Optional.of(
        DeltaWriter.append(
            lake,
            SluiceTables.LINEAGE,
            lake.spark().createDataFrame(edges, LINEAGE_SCHEMA).coalesce(1),
            run.commitTag()));
  }

  private static Row edge(RunContext run, LineageNode in, LineageNode out, Timestamp at) {
    return RowFactory.create(
        run.runId(),
        run.runKey().value(),
        run.job(),
        in == null ? null : in.kind(),
        in == null ? null : in.name(),
        in == null ? null : in.version(),
        out.kind(),
        out.name(),
        out.version(),
        run.codeVersion(),
        run.confHash(),
        at);
  }
}
