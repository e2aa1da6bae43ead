/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.LakeConfig;
import dev.sluice.config.SourceConfig;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The versions {@link Lakehouse} reads from a table's Delta log on the driver, checked against the
 * log as Delta's own history reports it, the versions {@link DeltaWriter} returns, and the table
 * state {@link Lakehouse#loadState} builds ahead of a write.
 */
class TestLakehouseVersions extends SparkTestBase {
  private static final TableId TABLE = TableId.of("events");

  @TempDir Path root;
  private Lakehouse lake;

  @BeforeEach
  void lake() {
    lake = new Lakehouse(spark, new LakeConfig(root.toUri(), "sluice"), List.<SourceConfig>of());
  }

  private Dataset<Row> rows(int from, int to) {
    return spark.range(from, to).toDF("id");
  }

  @Test
  void latestIsTheNewestVersionInDeltasHistory() {
    DeltaWriter.append(lake, TABLE, rows(0, 3), "run-a");
    DeltaWriter.append(lake, TABLE, rows(3, 5), "run-b");
    DeltaWriter.replaceWhere(lake, TABLE, rows(0, 1), "id < 2", "run-c");

    long newestInHistory = lake.history(TABLE).get(0).version();
    assertThat(newestInHistory).isEqualTo(2);
    assertThat(lake.latest(TABLE)).isEqualTo(new TableVersion("events", newestInHistory));
    assertThat(lake.versions(TABLE))
        .as("the commit files listed on the driver are the commits of Delta's history")
        .containsExactly(2L, 1L, 0L)
        .isEqualTo(lake.history(TABLE).stream().map(Lakehouse.Commit::version).toList());
  }

  @Test
  void eachWriteReturnsTheVersionOfItsOwnCommit() {
    TableVersion first = DeltaWriter.append(lake, TABLE, rows(0, 3), "run-a");
    TableVersion second = DeltaWriter.append(lake, TABLE, rows(3, 5), "run-b");

    assertThat(first.version()).isEqualTo(0);
    assertThat(second.version()).isEqualTo(1);
    assertThat(lake.readAt(TABLE, first.version()).count()).isEqualTo(3);
    assertThat(lake.readAt(TABLE, second.version()).count()).isEqualTo(5);
  }

  @Test
  void aWriteAfterLoadStateFindsTheTablesStateBuiltAndLoadStateCreatesNoTable()
      throws TimeoutException {
    lake.loadState(TABLE);
    assertThat(lake.exists(TABLE)).as("no table is created").isFalse();
    for (int i = 0; i < 3; i++) {
      DeltaWriter.append(lake, TABLE, rows(i, i + 1), "run-" + i);
    }

    DeltaLog.clearCache(); // a new driver: nothing of the table is loaded yet
    assertThat(stateJobsDuring(() -> replace(0, "run-x")))
        .as("a write replays the log into the table's state first")
        .isPositive();
    DeltaLog.clearCache();
    lake.loadState(TABLE);
    assertThat(stateJobsDuring(() -> replace(1, "run-y")))
        .as("the state loaded ahead is the one the write uses")
        .isZero();
    assertThat(lake.read(TABLE).orderBy("id").collectAsList())
        .extracting(r -> r.getLong(0))
        .containsExactly(0L, 1L, 2L);
  }

  private void replace(int id, String tag) {
    DeltaWriter.replaceWhere(lake, TABLE, rows(id, id + 1), "id = " + id, tag);
  }

  /** Spark jobs that Delta runs to build a snapshot's state, while {@code action} runs. */
  private int stateJobsDuring(Runnable action) throws TimeoutException {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            String description = job.properties().getProperty("spark.job.description", "");
            if (description.contains("Compute snapshot for version")) {
              jobs.incrementAndGet();
            }
          }
        };
    listening(listener, action);
    return jobs.get();
  }

  @Test
  void aTaggedCommitIsFoundBehindNewerOnesAndOnlyWithinTheLookback() {
    DeltaWriter.append(lake, TABLE, rows(0, 1), "mine");
    DeltaWriter.append(lake, TABLE, rows(1, 2), "other-1");
    DeltaWriter.append(lake, TABLE, rows(2, 3), "other-2");

    assertThat(lake.versionTagged(TABLE, "mine", 3)).isEqualTo(OptionalLong.of(0));
    assertThat(lake.versionTagged(TABLE, "other-2", 1)).isEqualTo(OptionalLong.of(2));
    assertThat(lake.versionTagged(TABLE, "mine", 2)).isEmpty();
    assertThat(lake.versionTagged(TABLE, "nobody", 50)).isEmpty();
  }

  @Test
  void aFolderWithoutADeltaLogHasNoLatestVersion() {
    assertThat(lake.versions(TableId.of("missing"))).isEmpty();
    assertThatThrownBy(() -> lake.latest(TableId.of("missing")))
        .hasMessageContaining("missing is not a Delta table at");
  }
}
