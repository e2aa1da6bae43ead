/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.lineage;

import static org.apache.spark.sql.functions.col;

import dev.sluice.job.LineageNode;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lake's lineage edges with their runs, read once (the table holds one row per input × output
 * of an attempt: small next to the data it describes) and indexed both ways: which run produced a
 * node, and which runs read one.
 */
final class LineageEdges {
  /** One attempt, as {@code lineage} and {@code job_runs} record it. */
  record RunInfo(
      String runId,
      String job,
      String runKey,
      String status,
      Optional<LocalDate> logicalDate,
      Optional<Instant> startedAt,
      String codeVersion,
      String confHash) {}

  private final Map<String, RunInfo> runs = new LinkedHashMap<>();
  private final Map<LineageNode, String> producer = new HashMap<>();
  private final Map<String, Set<LineageNode>> inputs = new HashMap<>();
  private final Map<String, Set<LineageNode>> outputs = new HashMap<>();
  private final Map<LineageNode, Set<String>> readers = new HashMap<>();

  LineageEdges(List<Row> rows) {
    for (Row row : rows) {
      String runId = row.getAs("run_id");
      runs.computeIfAbsent(runId, id -> run(row));
      LineageNode output =
          new LineageNode(
              row.getAs("output_kind"),
              row.getAs("output_name"),
              row.<Long>getAs("output_version"));
      producer.putIfAbsent(output, runId);
      outputs.computeIfAbsent(runId, id -> new LinkedHashSet<>()).add(output);
      String inputKind = row.getAs("input_kind");
      if (inputKind != null) {
        LineageNode input =
            new LineageNode(inputKind, row.getAs("input_name"), row.<Long>getAs("input_version"));
        inputs.computeIfAbsent(runId, id -> new LinkedHashSet<>()).add(input);
        readers.computeIfAbsent(input, n -> new LinkedHashSet<>()).add(runId);
      }
    }
  }

  /** Every edge of the lake with its run's status, date and start (one query, collected). */
  static LineageEdges read(Lakehouse lake) {
    if (!lake.exists(SluiceTables.LINEAGE)) {
      return new LineageEdges(List.of());
    }
    Dataset<Row> edges = lake.read(SluiceTables.LINEAGE);
    if (lake.exists(SluiceTables.JOB_RUNS)) {
      edges =
          edges.join(
              lake.read(SluiceTables.JOB_RUNS)
                  .select(
                      col("run_id").as("jr_run_id"),
                      col("status"),
                      col("logical_date"),
                      col("started_ts")),
              edges.col("run_id").equalTo(col("jr_run_id")),
              "left");
    }
    return new LineageEdges(edges.orderBy("at_ts").collectAsList());
  }

  private static RunInfo run(Row row) {
    boolean joined = List.of(row.schema().fieldNames()).contains("status");
    Date date = joined ? row.getAs("logical_date") : null;
    Timestamp started = joined ? row.getAs("started_ts") : null;
    String status = joined ? row.getAs("status") : null;
    return new RunInfo(
        row.getAs("run_id"),
        row.getAs("job"),
        row.getAs("run_key"),
        status == null ? "unknown" : status,
        Optional.ofNullable(date).map(Date::toLocalDate),
        Optional.ofNullable(started).map(Timestamp::toInstant),
        row.getAs("code_version"),
        row.getAs("conf_hash"));
  }

  /** The run that wrote {@code node}. */
  Optional<RunInfo> producer(LineageNode node) {
    return Optional.ofNullable(producer.get(node)).map(runs::get);
  }

  /** What a run read, in the order it was recorded. */
  List<LineageNode> inputs(RunInfo run) {
    return List.copyOf(inputs.getOrDefault(run.runId(), Set.of()));
  }

  /** What a run wrote. */
  List<LineageNode> outputs(RunInfo run) {
    return List.copyOf(outputs.getOrDefault(run.runId(), Set.of()));
  }

  /** The runs that read {@code node}, oldest first. */
  List<RunInfo> readers(LineageNode node) {
    List<RunInfo> found = new ArrayList<>();
    readers.getOrDefault(node, Set.of()).forEach(id -> found.add(runs.get(id)));
    found.sort(Comparator.comparing(r -> r.startedAt().orElse(Instant.MAX)));
    return found;
  }
}
