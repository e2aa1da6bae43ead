/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.trainingset;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestTrainingSetJob extends SparkTestBase {
  private static Path root;

  @BeforeAll
  static void buildFeatures() {
    root = TinyLake.shared();
    TinyLake.run(
        root,
        "features",
        "build",
        "--from",
        TinyLake.START.plusDays(6).toString(),
        "--to",
        TinyLake.END.toString());
  }

  @Test
  void joinsEachObservationWithTheFeaturesValidAtItsTimestamp() {
    JsonNode summary =
        TinyLake.run(
                root,
                "training-set",
                "build",
                "--date",
                TinyLake.END.toString(),
                "--observations",
                "raw_labels",
                "--entity",
                "customer_id",
                "--timestamp",
                "observation_date",
                "--label",
                "churned",
                "--features",
                "customer_activity.events_7d,customer_profile.plan",
                "--out",
                "training_test")
            .summary();

    Dataset<Row> out = spark.read().format("delta").load(root.resolve("training_test").toString());
    Dataset<Row> labels = pinned("raw_labels");
    Dataset<Row> features =
        spark.read().format("delta").load(root.resolve("features_customer_activity").toString());
    // Features are daily: the row valid at an observation's midnight is the one stamped exactly
    // then.
    List<Row> mismatches =
        out.join(
                features,
                out.col("customer_id")
                    .equalTo(features.col("customer_id"))
                    .and(out.col("observation_date").equalTo(features.col("event_ts"))),
                "left")
            .where(
                features
                    .col("events_7d")
                    .isNull()
                    .and(out.col("customer_activity__events_7d").isNotNull())
                    .or(
                        features
                            .col("events_7d")
                            .notEqual(out.col("customer_activity__events_7d"))))
            .collectAsList();

    assertThat(out.count())
        .as("every labelled observation, none dropped")
        .isEqualTo(labels.count());
    assertThat(out.columns())
        .contains(
            "customer_id",
            "observation_date",
            "churned",
            "customer_activity__events_7d",
            "customer_profile__plan");
    assertThat(mismatches).as("features as of the observation time").isEmpty();
    assertThat(out.where(col("customer_profile__plan").isNull()).count())
        .as("every labelled customer has a profile")
        .isZero();

    Row record =
        spark
            .read()
            .format("delta")
            .load(root.resolve("training_sets").toString())
            .where(col("training_set_id").equalTo(summary.path("run_id").asText()))
            .first();
    assertThat(record.<Long>getAs("row_count")).isEqualTo(out.count());
    assertThat(record.<String>getAs("observation_table")).isEqualTo("raw_labels");
    assertThat(record.getList(record.fieldIndex("feature_tables")))
        .hasSize(2)
        .allSatisfy(
            t -> assertThat(t.toString()).matches("features_customer_(activity|profile)@\\d+"));
    assertThat(record.getJavaMap(record.fieldIndex("definition_hashes")))
        .containsKeys("customer_activity", "customer_profile");
  }

  @Test
  void aModelsConfSuppliesTheFlags() {
    JsonNode summary =
        TinyLake.run(
                root,
                "training-set",
                "build",
                "--date",
                TinyLake.END.toString(),
                "--model",
                "churn")
            .summary();

    assertThat(summary.path("run_key").asText()).isEqualTo("training-set/churn/" + TinyLake.END);
    Dataset<Row> out = spark.read().format("delta").load(root.resolve("training_churn").toString());
    assertThat(out.columns())
        .contains("churned", "customer_activity__spend_28d", "customer_profile__age");
  }

  @Test
  void anUnknownFeatureIsAUsageError() {
    CliRun run =
        CliRun.execute(
            TinyLake.args(
                root,
                "training-set",
                "build",
                "--date",
                TinyLake.END.toString(),
                "--observations",
                "raw_labels",
                "--entity",
                "customer_id",
                "--timestamp",
                "observation_date",
                "--features",
                "customer_activity.nope",
                "--out",
                "training_bad"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("customer_activity.nope");
  }

  private static Dataset<Row> pinned(String table) {
    long version =
        spark
            .read()
            .format("delta")
            .load(root.resolve("snapshots").toString())
            .where(col("source_table").equalTo(table))
            .first()
            .<Long>getAs("delta_version");
    return spark
        .read()
        .format("delta")
        .option("versionAsOf", version)
        .load(root.resolve(table).toString());
  }
}
