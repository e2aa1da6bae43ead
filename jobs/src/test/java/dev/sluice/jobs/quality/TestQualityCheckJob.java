/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.quality;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TestQualityCheckJob extends SparkTestBase {
  @Test
  void passingGateRecordsResultsAndQuarantinesMalformedRows() {
    Path root = TinyLake.shared();
    JsonNode summary =
        TinyLake.run(root, "quality", "check", "--date", TinyLake.END.toString()).summary();
    String runId = summary.path("run_id").asText();

    long pinned = pinnedVersion(root, "raw_activity");
    Dataset<Row> activity =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", pinned)
            .load(root.resolve("raw_activity").toString());
    long malformed = activity.where(col("customer_id").isNull().or(col("amount").lt(0))).count();
    Dataset<Row> quarantine =
        spark.read().format("delta").load(root.resolve("raw_activity_quarantine").toString());
    Dataset<Row> results =
        spark
            .read()
            .format("delta")
            .load(root.resolve("data_quality").toString())
            .where(col("run_id").equalTo(runId));

    assertThat(malformed).as("the tiny sample has malformed rows").isPositive();
    assertThat(quarantine.count()).isEqualTo(malformed);
    assertThat(quarantine.where(col("_reason").contains("completeness(customer_id)")).count())
        .isEqualTo(activity.where(col("customer_id").isNull()).count());
    Dataset<Row> all = spark.read().format("delta").load(root.resolve("data_quality").toString());
    assertThat(all.select("table_name").distinct().count())
        .as("every checked source has results (a version that passed before is not re-checked)")
        .isEqualTo(3);
    assertThat(results.where(col("table_name").equalTo("raw_activity")).count()).isPositive();
    assertThat(
            results
                .where(col("check_level").equalTo("error").and(col("status").equalTo("failure")))
                .count())
        .isZero();
    assertThat(summary.path("metrics").path("quality.quarantined_rows").asLong())
        .isEqualTo(malformed);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(root.resolve("data_quality_metrics").toString())
                .count())
        .isPositive();
  }

  @Test
  void anErrorLevelFailureExitsThreeNamingTableConstraintAndValue() throws Exception {
    Path root = TinyLake.shared();
    Path strict = Files.createTempFile("strict", ".conf");
    Files.writeString(
        strict,
        "include file(\""
            + TinyLake.SHIPPED_PROFILE
            + "\")\n"
            + "sluice.quality.tables.raw_activity.checks = [\n"
            + "  { type = completeness, column = customer_id, level = error }\n]\n");
    CliRun run =
        CliRun.execute(
            TinyLake.args(
                root,
                "quality",
                "check",
                "--date",
                TinyLake.END.toString(),
                "--conf",
                strict.toString()));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.stderr())
        .contains("Data-quality gate failed")
        .contains("raw_activity@" + pinnedVersion(root, "raw_activity"))
        .contains("completeness(customer_id)")
        .contains("observed 0.9");
    assertThat(run.summary().path("status").asText()).isEqualTo("failed");
  }

  private static long pinnedVersion(Path root, String table) {
    return spark
        .read()
        .format("delta")
        .load(root.resolve("snapshots").toString())
        .where(col("source_table").equalTo(table))
        .first()
        .<Long>getAs("delta_version");
  }
}
