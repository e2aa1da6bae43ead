/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.snapshot;

import dev.sluice.config.SourceConfig;
import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.jobs.cli.JobRunner.JobEnv;
import dev.sluice.snapshot.Fingerprint;
import dev.sluice.snapshot.PinnedReads;
import dev.sluice.snapshot.SnapshotPin;
import dev.sluice.snapshot.SnapshotRecords;
import dev.sluice.table.Columns;
import dev.sluice.table.DeltaWriter;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.Lakehouse.Commit;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Pins each configured source table and writes the pins in one commit to {@code snapshots}. */
final class Snapshotter {
  static final String PINNED_LATEST = "latest";
  static final String PINNED_VERSION = "version";
  static final String PINNED_TIMESTAMP = "timestamp";

  private final JobEnv env;
  private final Map<String, Long> versions;
  private final Map<String, String> timestamps;

  Snapshotter(JobEnv env, Map<String, Long> versions, Map<String, String> timestamps) {
    this.env = env;
    this.versions = Map.copyOf(versions);
    this.timestamps = Map.copyOf(timestamps);
  }

  void pinAll(JobResult result) {
    Set<String> configured =
        env.config().sources().stream().map(SourceConfig::table).collect(Collectors.toSet());
    checkConfigured("--version", versions.keySet(), configured);
    checkConfigured("--timestamp", timestamps.keySet(), configured);
    Lakehouse lake = env.lake();
    List<Row> rows = new ArrayList<>();
    long totalRows = 0;
    for (SourceConfig source : env.config().sources()) {
      TableId table = TableId.of(source.table());
      if (!lake.exists(table)) {
        throw PipelineErrors.sourceTableMissing(table.name(), lake.location(table));
      }
      List<Commit> history = lake.history(table);
      long version = chooseVersion(table, history);
      SnapshotPin pin =
          env.stages()
              .stage(
                  "pin-" + table,
                  String.format("pin %s@%s and fingerprint its content", table, version),
                  () -> pin(lake, table, version, history));
      rows.add(SnapshotRecords.toRow(pin, pinnedBy(table), env.run()));
      result.input(new TableVersion(table.name(), version));
      result.metric(table.name() + ".rows", pin.rowCount());
      totalRows += pin.rowCount();
    }
    Dataset<Row> frame = env.spark().createDataFrame(rows, SnapshotRecords.SCHEMA).coalesce(1);
    TableVersion written =
        env.stages()
            .stage(
                "write",
                "write the pins to " + SluiceTables.SNAPSHOTS,
                () ->
                    DeltaWriter.replaceWhere(
                        lake,
                        SluiceTables.SNAPSHOTS,
                        frame,
                        String.format("%s = '%s'", Columns.RUN_KEY, env.run().runKey()),
                        env.run().commitTag()));
    result.output(written);
    result.metric("tables", rows.size());
    result.metric("rows", totalRows);
    result.metric("snapshot_id", env.run().runId());
  }

  private SnapshotPin pin(Lakehouse lake, TableId table, long version, List<Commit> history) {
    Dataset<Row> data = PinnedReads.readAt(lake, table, version);
    Fingerprint fingerprint =
        PinnedReads.withPinnedFiles(lake, table, version, () -> Fingerprint.of(data));
    Instant committed =
        history.stream().filter(c -> c.version() == version).findFirst().orElseThrow().timestamp();
    return new SnapshotPin(
        env.run().runId(),
        table.name(),
        lake.location(table),
        version,
        committed,
        fingerprint.rowCount(),
        Fingerprint.schemaHash(data.schema()),
        fingerprint.value());
  }

  private long chooseVersion(TableId table, List<Commit> history) {
    List<Long> available = history.stream().map(Commit::version).toList();
    if (versions.containsKey(table.name())) {
      long version = versions.get(table.name());
      if (!available.contains(version)) {
        throw PipelineErrors.versionNotFound(table.name(), String.valueOf(version), available);
      }
      return version;
    }
    if (timestamps.containsKey(table.name())) {
      String raw = timestamps.get(table.name());
      Instant asOf = parseInstant(raw);
      return history.stream()
          .filter(c -> !c.timestamp().isAfter(asOf))
          .mapToLong(Commit::version)
          .max()
          .orElseThrow(
              () -> PipelineErrors.versionNotFound(table.name(), "as of " + raw, available));
    }
    return available.stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  private String pinnedBy(TableId table) {
    if (versions.containsKey(table.name())) {
      return PINNED_VERSION;
    }
    return timestamps.containsKey(table.name()) ? PINNED_TIMESTAMP : PINNED_LATEST;
  }

  private static Instant parseInstant(String raw) {
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(raw).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw PipelineErrors.invalidArgument(
            "--timestamp", raw, "must be an ISO timestamp like 2026-10-30T00:00:00Z");
      }
    }
  }

  private static void checkConfigured(String option, Set<String> given, Set<String> configured) {
    for (String table : given) {
      if (!configured.contains(table)) {
        throw PipelineErrors.invalidArgument(
            option, table, "is not a configured source; sluice.sources has " + configured);
      }
    }
  }
}
