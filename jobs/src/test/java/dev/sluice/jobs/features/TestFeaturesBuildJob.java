/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TestFeaturesBuildJob extends SparkTestBase {
  private static final LocalDate FROM = TinyLake.END.minusDays(2);

  @Test
  void buildsIdempotentlyAndRebuildsWhenADefinitionChanges() {
    Path root = TinyLake.shared();
    String table = root.resolve("features_customer_activity").toString();

    TinyLake.run(
        root, "features", "build", "--from", FROM.toString(), "--to", TinyLake.END.toString());
    long rows = spark.read().format("delta").load(table).count();
    Row sample =
        spark.read().format("delta").load(table).orderBy("customer_id", "event_ts").first();
    TinyLake.run(
        root, "features", "build", "--from", FROM.toString(), "--to", TinyLake.END.toString());

    assertThat(spark.read().format("delta").load(table).count())
        .as("a rerun merges, it does not duplicate")
        .isEqualTo(rows);
    assertThat(rows).isPositive();
    assertThat(sample.<Long>getAs("events_7d"))
        .isEqualTo(expectedEvents7d(root, sample.getAs("customer_id"), sample.getAs("event_ts")));

    TinyLake.run(
        root,
        "features",
        "build",
        "--from",
        FROM.toString(),
        "--to",
        TinyLake.END.toString(),
        "-Dsluice.features.groups.customer_activity.features.events_7d.window=5d");

    Dataset<Row> rebuilt = spark.read().format("delta").load(table);
    Dataset<Row> registry =
        spark
            .read()
            .format("delta")
            .load(root.resolve("feature_registry").toString())
            .where(
                col("feature_group")
                    .equalTo("customer_activity")
                    .and(col("feature").equalTo("events_7d")));
    assertThat(rebuilt.select("_definition_hash").distinct().count())
        .as("every row under the new hash")
        .isEqualTo(1);
    assertThat(rebuilt.first().<String>getAs("_definition_hash"))
        .isNotEqualTo(sample.<String>getAs("_definition_hash"));
    assertThat(registry.select("version").orderBy("version").collectAsList())
        .extracting(r -> r.getInt(0))
        .containsExactly(1, 2);
    assertThat(DeltaTable.forPath(spark, table).history(1).select("operation").first().getString(0))
        .as("a definition change rebuilds the history in one commit")
        .isEqualTo("WRITE");
  }

  @Test
  void anUnknownColumnOrBadWindowExitsTwoNamingTheFeature() {
    Path root = TinyLake.shared();

    CliRun unknown =
        CliRun.execute(
            TinyLake.args(
                root,
                "features",
                "build",
                "--date",
                TinyLake.END.toString(),
                "-Dsluice.features.groups.customer_activity.features.spend_28d.expr=no_such_column"));
    CliRun window =
        CliRun.execute(
            TinyLake.args(
                root,
                "features",
                "build",
                "--date",
                TinyLake.END.toString(),
                "-Dsluice.features.groups.customer_activity.features.spend_28d.window=4w"));

    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("customer_activity.spend_28d").contains("no_such_column");
    assertThat(window.exitCode()).as(window.toString()).isEqualTo(2);
    assertThat(window.stderr()).contains("customer_activity.spend_28d").contains("4w");
  }

  /**
   * Valid events of the customer in the 7 days before event_ts, counted straight from the source.
   */
  private static long expectedEvents7d(Path root, String customer, Timestamp eventTs) {
    LocalDate end = eventTs.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    return spark
        .read()
        .format("delta")
        .load(root.resolve("raw_activity").toString())
        .where(col("customer_id").equalTo(customer))
        .where(col("amount").geq(0))
        .where(
            col("event_ts")
                .geq(Timestamp.from(end.minusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant())))
        .where(col("event_ts").lt(eventTs))
        .count();
  }
}
