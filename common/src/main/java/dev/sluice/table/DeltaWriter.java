/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import dev.sluice.error.PipelineErrors;
import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a Dataset to a lake table in exactly one Delta commit and reports the version it made.
 * Commits that lose a race with another writer (a different run key) are retried.
 */
public final class DeltaWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaWriter.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
  private static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  private DeltaWriter() {}

  /** Appends rows in one commit. */
  public static TableVersion append(
      Lakehouse lake, TableId table, Dataset<Row> rows, String commitTag) {
    return commit(
        lake,
        table,
        commitTag,
        () -> save(rows, SaveMode.Append, commitTag).save(lake.location(table)));
  }

  /**
   * Replaces the rows matching {@code condition} (e.g. {@code run_key = 'snapshot/2026-10-30'})
   * with {@code rows} in one commit, so a rerun replaces rather than duplicates.
   */
  public static TableVersion replaceWhere(
      Lakehouse lake, TableId table, Dataset<Row> rows, String condition, String commitTag) {
    return replaceWhere(lake, table, rows, condition, List.of(), commitTag);
  }

  /**
   * {@link #replaceWhere(Lakehouse, TableId, Dataset, String, String)} for a table partitioned by
   * {@code partitionColumns} when this write creates it (an existing table keeps its layout). A
   * condition on partition columns only replaces whole files: no data file is read.
   */
  public static TableVersion replaceWhere(
      Lakehouse lake,
      TableId table,
      Dataset<Row> rows,
      String condition,
      List<String> partitionColumns,
      String commitTag) {
    return replaceWhere(lake, table, rows, condition, partitionColumns, List.of(), commitTag);
  }

  /**
   * {@link #replaceWhere(Lakehouse, TableId, Dataset, String, List, String)} that, when this write
   * creates the table, also limits Delta's per-file statistics (min, max, null count: what data
   * skipping reads) to {@code statsColumns}, the columns queries filter on, rather than the first
   * 32 columns. A wide table of values no query filters on then costs no statistics per row and
   * column; an existing table keeps its setting ({@code delta.dataSkippingStatsColumns}).
   */
  public static TableVersion replaceWhere(
      Lakehouse lake,
      TableId table,
      Dataset<Row> rows,
      String condition,
      List<String> partitionColumns,
      List<String> statsColumns,
      String commitTag) {
    boolean create = !partitionColumns.isEmpty() && !lake.exists(table);
    return commit(
        lake,
        table,
        commitTag,
        () -> {
          DataFrameWriter<Row> writer =
              save(rows, SaveMode.Overwrite, commitTag).option("replaceWhere", condition);
          if (create) {
            writer = writer.partitionBy(partitionColumns.toArray(String[]::new));
            if (!statsColumns.isEmpty()) {
              writer = writer.option(STATS_COLUMNS, String.join(",", statsColumns));
            }
          }
          writer.save(lake.location(table));
        });
  }

  /** Replaces the whole table (data and schema) in one commit. */
  public static TableVersion overwrite(
      Lakehouse lake, TableId table, Dataset<Row> rows, String commitTag) {
    return commit(
        lake,
        table,
        commitTag,
        () ->
            rows.write()
                .format("delta")
                .mode(SaveMode.Overwrite)
                .option("overwriteSchema", "true")
                .option("userMetadata", commitTag)
                .save(lake.location(table)));
  }

  /**
   * Upserts rows by key in one commit (MERGE: matched rows updated, others inserted), so rerunning
   * a day is idempotent; creates the table when it does not exist.
   */
  public static TableVersion merge(
      Lakehouse lake, TableId table, Dataset<Row> rows, List<String> keys, String commitTag) {
    if (!lake.exists(table)) {
      return append(lake, table, rows, commitTag);
    }
    String condition =
        keys.stream()
            .map(k -> "t.`" + k + "` = s.`" + k + "`")
            .collect(Collectors.joining(" AND "));
    SparkSession spark = lake.spark();
    // MERGE has no userMetadata option: the tag goes through the session for this commit.
    String previous = spark.conf().get(USER_METADATA, null);
    spark.conf().set(USER_METADATA, commitTag);
    try {
      return commit(
          lake,
          table,
          commitTag,
          () ->
              DeltaTable.forPath(spark, lake.location(table))
                  .as("t")
                  .merge(rows.as("s"), condition)
                  .whenMatched()
                  .updateAll()
                  .whenNotMatched()
                  .insertAll()
                  .execute());
    } finally {
      if (previous == null) {
        spark.conf().unset(USER_METADATA);
      } else {
        spark.conf().set(USER_METADATA, previous);
      }
    }
  }

  private static DataFrameWriter<Row> save(Dataset<Row> rows, SaveMode mode, String commitTag) {
    return rows.write()
        .format("delta")
        .mode(mode)
        .option("mergeSchema", "true")
        .option("userMetadata", commitTag);
  }

  /** Runs one tagged write, retrying when it loses a race, and returns the version it made. */
  private static TableVersion commit(
      Lakehouse lake, TableId table, String commitTag, Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return committedVersion(lake, table, commitTag);
      } catch (DeltaConcurrentModificationException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw PipelineErrors.internal(
              String.format(
                  "Cannot commit to %s after %s attempts: other writers keep winning",
                  table, attempt),
              e);
        }
        LOG.warn("Commit to {} lost a race ({}); retrying", table, e.getClass().getSimpleName());
      }
    }
  }

  /**
   * The version of the commit this writer tagged; exact even when others commit meanwhile. The
   * newest commit is nearly always ours; the log is read on the driver, newest first.
   */
  private static TableVersion committedVersion(Lakehouse lake, TableId table, String commitTag) {
    long version =
        lake.versionTagged(table, commitTag, 50)
            .orElseThrow(
                () ->
                    PipelineErrors.internal(
                        "The commit tagged " + commitTag + " is missing from " + table + "'s log",
                        null));
    return new TableVersion(table.name(), version);
  }
}
