/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.LakeConfig;
import dev.sluice.config.SourceConfig;
import dev.sluice.error.SluiceException;
import dev.sluice.job.RunContext;
import dev.sluice.job.RunKey;
import dev.sluice.job.RunLock;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.snapshot.Fingerprint;
import dev.sluice.snapshot.SnapshotPin;
import dev.sluice.snapshot.SnapshotResolver;
import dev.sluice.snapshot.SnapshotSet;
import dev.sluice.table.Lakehouse;
import dev.sluice.table.TableId;
import dev.sluice.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TestSnapshotJob extends SparkTestBase {
  private static final LocalDate DATE = LocalDate.parse("2026-10-30");
  private static final List<String> SOURCES =
      List.of("raw_customers", "raw_activity", "raw_labels");

  @Test
  void pinsEverySourceAtItsLatestVersionWithReproducibleFingerprints() {
    Path root = TinyLake.shared();
    List<Row> pins =
        spark.read().format("delta").load(root.resolve("snapshots").toString()).collectAsList();

    assertThat(pins).hasSize(3);
    for (Row pin : pins) {
      String table = pin.getAs("source_table");
      String location = root.resolve(table).toUri().toString();
      long latest =
          DeltaTable.forPath(spark, location).history(1).select("version").first().getLong(0);
      Dataset<Row> atPin =
          spark
              .read()
              .format("delta")
              .option("versionAsOf", pin.<Long>getAs("delta_version"))
              .load(location);

      assertThat(pin.<Long>getAs("delta_version")).as(table).isEqualTo(latest);
      assertThat(pin.<Long>getAs("row_count")).as(table).isEqualTo(atPin.count());
      assertThat(pin.<String>getAs("fingerprint"))
          .as("re-reading the pin of %s reproduces its fingerprint", table)
          .isEqualTo(Fingerprint.of(atPin).value());
      assertThat(pin.<String>getAs("schema_hash"))
          .isEqualTo(Fingerprint.schemaHash(atPin.schema()));
      assertThat(pin.<String>getAs("run_key")).isEqualTo("snapshot/" + TinyLake.END);
    }
    assertThat(pins.stream().map(r -> r.<String>getAs("source_table")))
        .containsExactlyInAnyOrderElementsOf(SOURCES);
  }

  @Test
  void downstreamJobsResolveAndReadThePins() {
    Lakehouse lake = lake(TinyLake.shared());

    SnapshotSet set = SnapshotResolver.resolve(lake, TinyLake.END, Optional.empty());
    SnapshotSet byId = SnapshotResolver.resolve(lake, TinyLake.END, Optional.of(set.snapshotId()));

    assertThat(byId.pins()).isEqualTo(set.pins());
    for (SnapshotPin pin : set.pins()) {
      dev.sluice.job.JobResult result = new dev.sluice.job.JobResult();
      Dataset<Row> rows = set.read(lake, TableId.of(pin.sourceTable()), result);
      assertThat(Fingerprint.of(rows).value()).isEqualTo(pin.fingerprint());
      assertThat(result.inputs())
          .extracting(Object::toString)
          .contains(pin.sourceTable() + "@" + pin.deltaVersion());
    }
  }

  @Test
  void noSnapshotForTheDateExitsFourNamingTheCommand() {
    Lakehouse lake = lake(TinyLake.shared());

    assertThatThrownBy(
            () -> SnapshotResolver.resolve(lake, LocalDate.parse("2020-01-01"), Optional.empty()))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("No successful snapshot for 2020-01-01")
        .hasMessageContaining("sluice snapshot --date 2020-01-01")
        .satisfies(e -> assertThat(((SluiceException) e).exitCode()).isEqualTo(4));
  }

  @Test
  void rerunReplacesTheRunKeysRowsAndRecordsEachAttempt() throws Exception {
    Path root = tableLake("rerun", 2);

    JsonNode first = snapshot(root).summary();
    JsonNode second = snapshot(root).summary();

    Dataset<Row> snapshots =
        spark.read().format("delta").load(root.resolve("snapshots").toString());
    assertThat(snapshots.where(col("run_key").equalTo("snapshot/" + DATE)).count())
        .as("one row per source for the run key after a rerun")
        .isEqualTo(1);
    assertThat(snapshots.first().<String>getAs("snapshot_id"))
        .isEqualTo(second.path("run_id").asText());
    List<Row> runs =
        spark
            .read()
            .format("delta")
            .load(root.resolve("job_runs").toString())
            .where(col("run_key").equalTo("snapshot/" + DATE))
            .collectAsList();
    assertThat(runs)
        .extracting(r -> r.<String>getAs("run_id"))
        .containsExactlyInAnyOrder(first.path("run_id").asText(), second.path("run_id").asText());
    assertThat(runs).allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo("succeeded"));
    List<String> edges =
        spark
            .read()
            .format("delta")
            .load(root.resolve("lineage").toString())
            .selectExpr(
                "concat(input_name, '@', input_version, '->', output_name, '@', output_version)")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(edges).containsExactlyInAnyOrder("t1@1->snapshots@0", "t1@1->snapshots@1");
    assertThat(second.path("inputs").get(0).path("table").asText()).isEqualTo("t1");
    assertThat(second.path("outputs").get(0).path("version").asLong()).isEqualTo(1);
  }

  @Test
  void pinsAnExplicitVersionOrTimestamp() throws Exception {
    Path root = tableLake("explicit", 3);
    String location = root.resolve("t1").toUri().toString();
    Row v1 =
        DeltaTable.forPath(spark, location)
            .history()
            .where("version = 1")
            .select("timestamp")
            .first();

    JsonNode byVersion = snapshot(root, "--version", "t1=0").summary();
    Row pinned = pinOf(root);
    JsonNode byTimestamp =
        snapshot(root, "--timestamp", "t1=" + v1.getTimestamp(0).toInstant()).summary();

    assertThat(byVersion.path("inputs").get(0).path("version").asLong()).isZero();
    assertThat(pinned.<String>getAs("pinned_by")).isEqualTo("version");
    assertThat(pinned.<String>getAs("fingerprint"))
        .isEqualTo(
            Fingerprint.of(spark.read().format("delta").option("versionAsOf", 0).load(location))
                .value());
    assertThat(byTimestamp.path("inputs").get(0).path("version").asLong()).isEqualTo(1);
  }

  @Test
  void aVersionMissingFromTheLogExitsFourListingVersions() throws Exception {
    Path root = tableLake("missing-version", 3);

    CliRun run = CliRun.execute(args(root, "--version", "t1=99"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.stderr()).contains("Version 99 of t1 does not exist").contains("[0..2]");
  }

  @Test
  void aVacuumedVersionExitsFourSayingWhichVersionsExist() throws Exception {
    Path root = tableLake("vacuumed", 1);
    String location = root.resolve("t1").toUri().toString();
    spark.range(5).toDF("id").write().format("delta").mode("overwrite").save(location);
    spark.sql("VACUUM delta.`" + location + "` RETAIN 0 HOURS");

    CliRun run = CliRun.execute(args(root, "--version", "t1=0"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.stderr())
        .contains("Version 0 of t1 can no longer be read")
        .contains("VACUUM")
        .contains("[0..");
  }

  @Test
  void aMissingSourceTableExitsFour() throws Exception {
    Path root = TinyLake.newRoot("no-source");
    Path conf = conf(root);

    CliRun run =
        CliRun.execute(
            "snapshot",
            "--date",
            DATE.toString(),
            "--conf",
            conf.toString(),
            "-Dsluice.lake.root=" + root);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.stderr()).contains("Source table t1 not found").contains("sluice sample-data");
  }

  @Test
  void aSecondConcurrentAttemptFailsFastNamingTheRunningOne() throws Exception {
    Path root = tableLake("locked", 1);
    Lakehouse lake = lake(root);
    RunContext holder =
        RunContext.start(
            "snapshot",
            RunKey.of("snapshot", Optional.empty(), DATE),
            Optional.of(DATE),
            "test",
            "h");

    try (RunLock lock =
        RunLock.acquire(lake.fileSystem(), lake.systemPath("locks"), holder, 1000, 60_000)) {
      CliRun run = CliRun.execute(args(root));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.stderr())
          .contains("Run key snapshot/" + DATE + " is already running")
          .contains(holder.runId());
    }
    assertThat(Files.exists(root.resolve("job_runs")))
        .as("a refused attempt is not recorded")
        .isFalse();
  }

  /** A lake with one source table t1 written in {@code versions} commits. */
  private static Path tableLake(String name, int versions) throws Exception {
    Path root = TinyLake.newRoot(name);
    for (int v = 0; v < versions; v++) {
      spark
          .range(v * 10L, v * 10L + 10)
          .toDF("id")
          .selectExpr("id", "id * 2.5 AS amount")
          .write()
          .format("delta")
          .mode("append")
          .save(root.resolve("t1").toUri().toString());
    }
    conf(root);
    return root;
  }

  private static Path conf(Path root) throws Exception {
    Path conf = root.resolve("test.conf");
    Files.writeString(conf, "sluice.sources = [ { table = \"t1\" } ]\n");
    return conf;
  }

  private static CliRun snapshot(Path root, String... extra) {
    CliRun run = CliRun.execute(args(root, extra));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run;
  }

  private static List<String> args(Path root, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "snapshot",
                "--date",
                DATE.toString(),
                "--conf",
                root.resolve("test.conf").toString(),
                "-Dsluice.lake.root=" + root));
    args.addAll(List.of(extra));
    return args;
  }

  private static Row pinOf(Path root) {
    return spark.read().format("delta").load(root.resolve("snapshots").toString()).first();
  }

  private static Lakehouse lake(Path root) {
    return new Lakehouse(spark, new LakeConfig(root.toUri(), "sluice"), List.<SourceConfig>of());
  }
}
