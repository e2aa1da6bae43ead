/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

/** Sluice's own tables (ARCHITECTURE §5); docs/tables.md describes each. */
public final class SluiceTables {
  public static final TableId SNAPSHOTS = TableId.of("snapshots");
  public static final TableId JOB_RUNS = TableId.of("job_runs");
  public static final TableId LINEAGE = TableId.of("lineage");

  private SluiceTables() {}
}
