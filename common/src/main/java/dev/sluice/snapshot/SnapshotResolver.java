/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.RunKey;
import dev.sluice.table.Columns;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.SluiceTables;
import dev.sluice.table.TableVersion;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * Finds the pins a downstream job reads for its logical date: those of the newest successful {@code
 * snapshot/<date>} run, or of the snapshot run given by id. None is an exit-4 error naming the
 * command that makes one.
 */
public final class SnapshotResolver {
  /** The job name of snapshot runs, whose run keys are {@code snapshot/<date>}. */
  public static final String SNAPSHOT_JOB = "snapshot";

  private SnapshotResolver() {}

  public static SnapshotSet resolve(Lakehouse lake, LocalDate date, Optional<String> snapshotId) {
    if (!lake.exists(SluiceTables.SNAPSHOTS)) {
      throw PipelineErrors.noSnapshot(date, snapshotId);
    }
    TableVersion version = lake.latest(SluiceTables.SNAPSHOTS);
    var rows = lake.readAt(SluiceTables.SNAPSHOTS, version.version());
    var selected =
        snapshotId
            .map(id -> rows.where(col(Columns.SNAPSHOT_ID).equalTo(lit(id))))
            .orElseGet(
                () ->
                    rows.where(
                        col(Columns.RUN_KEY)
                            .equalTo(
                                lit(RunKey.of(SNAPSHOT_JOB, Optional.empty(), date).value()))));
    List<Row> found = selected.collectAsList();
    if (found.isEmpty()) {
      throw PipelineErrors.noSnapshot(date, snapshotId);
    }
    // A rerun replaces its run key's rows, so one snapshot id remains; the newest wins regardless.
    String newest =
        found.stream()
            .max(Comparator.comparing((Row r) -> r.<java.sql.Timestamp>getAs(Columns.CREATED_TS)))
            .map(r -> r.<String>getAs(Columns.SNAPSHOT_ID))
            .orElseThrow();
    List<SnapshotPin> pins =
        found.stream()
            .filter(r -> newest.equals(r.getAs(Columns.SNAPSHOT_ID)))
            .map(SnapshotRecords::fromRow)
            .toList();
    return new SnapshotSet(newest, pins, version);
  }
}
