/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One source table pinned to a Delta version by a snapshot run.
 *
 * @param snapshotId the id of the snapshot run (its run_id) shared by all its pins
 * @param sourceTable the table's catalog name
 * @param location where the table lives
 * @param deltaVersion the pinned version
 * @param deltaTs the commit timestamp of that version
 * @param rowCount rows at that version
 * @param schemaHash {@link Fingerprint#schemaHash}
 * @param fingerprint {@link Fingerprint#value}
 */
public record SnapshotPin(
    String snapshotId,
    String sourceTable,
    String location,
    long deltaVersion,
    Instant deltaTs,
    long rowCount,
    String schemaHash,
    String fingerprint) {
  public SnapshotPin {
    requireNonNull(snapshotId, "snapshotId is null");
    requireNonNull(sourceTable, "sourceTable is null");
    requireNonNull(location, "location is null");
    requireNonNull(deltaTs, "deltaTs is null");
    requireNonNull(schemaHash, "schemaHash is null");
    requireNonNull(fingerprint, "fingerprint is null");
  }
}
