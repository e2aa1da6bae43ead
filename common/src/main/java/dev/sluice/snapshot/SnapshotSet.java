/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static java.util.Objects.requireNonNull;

import dev.sluice.error.PipelineErrors;
import dev.sluice.job.JobResult;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.TableId;
import dev.sluice.table.TableVersion;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The pins of one snapshot run, as a downstream job uses them: read a source at its pin and record
 * what was read.
 *
 * @param snapshotId the snapshot run's id
 * @param pins one pin per source table
 * @param snapshotsTable the version of the snapshots table the pins were read from
 */
public record SnapshotSet(String snapshotId, List<SnapshotPin> pins, TableVersion snapshotsTable) {
  public SnapshotSet {
    requireNonNull(snapshotId, "snapshotId is null");
    pins = List.copyOf(requireNonNull(pins, "pins is null"));
    requireNonNull(snapshotsTable, "snapshotsTable is null");
  }

  public Optional<SnapshotPin> pin(TableId table) {
    return pins.stream().filter(p -> p.sourceTable().equals(table.name())).findFirst();
  }

  /**
   * Reads {@code table} at its pin (Delta time travel) and records table@version as an input of
   * {@code result}.
   */
  public Dataset<Row> read(Lakehouse lake, TableId table, JobResult result) {
    SnapshotPin pin =
        pin(table)
            .orElseThrow(
                () ->
                    PipelineErrors.upstreamMissing(
                        String.format(
                            "Snapshot %s has no pin for %s (add it to sluice.sources and run"
                                + " `sluice snapshot` again)",
                            snapshotId, table)));
    result.input(snapshotsTable);
    result.input(new TableVersion(table.name(), pin.deltaVersion()));
    return PinnedReads.readAt(lake, table, pin.deltaVersion());
  }
}
