/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.job.RunContext;
import dev.sluice.table.Columns;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** The {@code snapshots} table: one row per pinned source table per snapshot run. */
public final class SnapshotRecords {
  public static final StructType SCHEMA =
      createStructType(
          List.of(
              createStructField(Columns.SNAPSHOT_ID, StringType, false),
              createStructField(Columns.RUN_KEY, StringType, false),
              createStructField(Columns.LOGICAL_DATE, DateType, false),
              createStructField(Columns.SOURCE_TABLE, StringType, false),
              createStructField(Columns.LOCATION, StringType, false),
              createStructField(Columns.DELTA_VERSION, LongType, false),
              createStructField(Columns.DELTA_TS, TimestampType, false),
              createStructField(Columns.ROW_COUNT, LongType, false),
              createStructField(Columns.SCHEMA_HASH, StringType, false),
              createStructField(Columns.FINGERPRINT, StringType, false),
              createStructField(Columns.PINNED_BY, StringType, false),
              createStructField(Columns.RUN_ID, StringType, false),
              createStructField(Columns.CREATED_TS, TimestampType, false)));

  private SnapshotRecords() {}

  public static Row toRow(SnapshotPin pin, String pinnedBy, RunContext run) {
    return RowFactory.create(
        pin.snapshotId(),
        run.runKey().value(),
        Date.valueOf(run.date().orElseThrow()),
        pin.sourceTable(),
        pin.location(),
        pin.deltaVersion(),
        Timestamp.from(pin.deltaTs()),
        pin.rowCount(),
        pin.schemaHash(),
        pin.fingerprint(),
        pinnedBy,
        run.runId(),
        Timestamp.from(Instant.now()));
  }

  static SnapshotPin fromRow(Row row) {
    return new SnapshotPin(
        row.getAs(Columns.SNAPSHOT_ID),
        row.getAs(Columns.SOURCE_TABLE),
        row.getAs(Columns.LOCATION),
        row.<Long>getAs(Columns.DELTA_VERSION),
        row.<Timestamp>getAs(Columns.DELTA_TS).toInstant(),
        row.<Long>getAs(Columns.ROW_COUNT),
        row.getAs(Columns.SCHEMA_HASH),
        row.getAs(Columns.FINGERPRINT));
  }
}
