/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.snapshot;

import dev.sluice.error.PipelineErrors;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.TableId;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Time-travel reads of a table version, with the errors a user can act on. */
public final class PinnedReads {
  private PinnedReads() {}

  /** Versions still in the table's Delta log, newest first. */
  public static List<Long> versions(Lakehouse lake, TableId table) {
    return lake.versions(table);
  }

  /** Reads {@code table} at {@code version}; exit 4 when the log no longer holds the version. */
  public static Dataset<Row> readAt(Lakehouse lake, TableId table, long version) {
    List<Long> versions = versions(lake, table);
    if (!versions.contains(version)) {
      throw PipelineErrors.versionNotFound(table.name(), String.valueOf(version), versions);
    }
    return lake.readAt(table, version);
  }

  /**
   * Runs an action over a pinned read, turning "data file missing" (the version's files were
   * removed, e.g. by VACUUM) into an exit-4 error that lists the versions in the log.
   */
  public static <T> T withPinnedFiles(
      Lakehouse lake, TableId table, long version, Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked in Java terms, and thrown undeclared
      if (causedByMissingFile(e)) {
        throw PipelineErrors.versionUnreadable(table.name(), version, versions(lake, table), e);
      }
      throw e;
    }
  }

  static boolean causedByMissingFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException
          || String.valueOf(t.getMessage()).contains("FileNotFoundException")
          || String.valueOf(t.getMessage()).contains("does not exist")) {
        return true;
      }
    }
    return false;
  }
}
