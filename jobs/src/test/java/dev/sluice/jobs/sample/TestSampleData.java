/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.sample;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.SampleConfig;
import dev.sluice.jobs.CliRun;
import dev.sluice.jobs.TinyLake;
import dev.sluice.snapshot.Fingerprint;
import dev.sluice.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TestSampleData extends SparkTestBase {
  private static final SampleConfig PARAMS =
      new SampleConfig(
          500,
          30,
          42,
          LocalDate.parse("2026-09-01"),
          20,
          0.02,
          3,
          7,
          "raw_customers",
          "raw_activity",
          "raw_labels");

  @Test
  void theSameSeedWritesTheSameRowsWhateverThePartitioning() {
    Fingerprint a = Fingerprint.of(activity(PARAMS, 1));
    Fingerprint b = Fingerprint.of(activity(PARAMS, 5));
    Fingerprint otherSeed = Fingerprint.of(activity(PARAMS.withSize(500, 30, 43), 1));

    assertThat(b).isEqualTo(a);
    assertThat(otherSeed).isNotEqualTo(a);
  }

  @Test
  void sessionMinutesShiftAndSmartTvAppearsFromTheDriftDay() {
    Dataset<Row> activity = activity(PARAMS, 2);
    LocalDate driftDate = PARAMS.startDate().plusDays(PARAMS.driftDay());
    double before = mean(activity.where(col("event_date").lt(driftDate)));
    double after = mean(activity.where(col("event_date").geq(driftDate)));

    // The generator maps minutes m to 1.6 m + 5 from the drift day on.
    assertThat(after / before).as("shift of mean session_minutes").isBetween(1.6, 2.4);
    assertThat(
            activity
                .where(col("device").equalTo("smart_tv").and(col("event_date").lt(driftDate)))
                .count())
        .isZero();
    assertThat(activity.where(col("device").equalTo("smart_tv")).count()).isPositive();
  }

  @Test
  void aConfiguredShareOfRowsIsMalformed() {
    Dataset<Row> activity = activity(PARAMS, 2);
    long total = activity.count();
    long malformed = activity.where(col("customer_id").isNull().or(col("amount").lt(0))).count();

    assertThat((double) malformed / total)
        .isBetween(0.5 * PARAMS.malformedShare(), 1.5 * PARAMS.malformedShare());
    assertThat(activity.where(col("customer_id").isNull()).count()).isPositive();
    assertThat(activity.where(col("amount").lt(0)).count()).isPositive();
  }

  @Test
  void labelsLandAfterTheirHorizonAndDelay() {
    Dataset<Row> customers =
        SampleTransforms.customers(spark.range(PARAMS.customers()).toDF(), PARAMS);
    Dataset<Row> labels =
        SampleTransforms.labels(customers, spark.range(PARAMS.days()).toDF(), PARAMS);
    int lag = PARAMS.labelHorizonDays() + PARAMS.labelDelayDays();

    assertThat(
            labels
                .where(String.format("to_date(landed_ts) <> date_add(observation_date, %s)", lag))
                .count())
        .isZero();
    assertThat(
            labels
                .where(
                    String.format(
                        "to_date(landed_ts) > date_add(date'%s', %s)",
                        PARAMS.startDate(), PARAMS.days() - 1))
                .count())
        .as("no label lands after the sample ends")
        .isZero();
    double positives = labels.agg(avg("churned")).first().getDouble(0);
    assertThat(positives).as("churn rate").isBetween(0.01, 0.5);
  }

  @Test
  void aTableWithNothingLandingInTheSampleIsWrittenEmpty() {
    java.nio.file.Path root = dev.sluice.jobs.TinyLake.newRoot("no-labels");
    java.util.List<String> args =
        new java.util.ArrayList<>(dev.sluice.jobs.TinyLake.args(root, "sample-data"));
    args.add("-Dsluice.sample.label-horizon-days=30"); // lands after the sample's 10 days
    dev.sluice.jobs.CliRun run = dev.sluice.jobs.CliRun.execute(args);
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(spark.read().format("delta").load(root.resolve("raw_labels").toString()).count())
        .isZero();
  }

  @Test
  void eachDayIsOneDeltaVersion() {
    Path root = TinyLake.shared();
    String activity = root.resolve("raw_activity").toString();
    Dataset<Row> all = spark.read().format("delta").load(activity);
    long days =
        all.where(col("event_date").geq(TinyLake.START)).select("event_date").distinct().count();
    long versions = DeltaTable.forPath(spark, activity).history().count();

    assertThat(versions).isEqualTo(days);
    // Customers who signed up before the start come with history, appended with the first day.
    assertThat(all.agg(org.apache.spark.sql.functions.min("event_date")).first().getDate(0))
        .isEqualTo(java.sql.Date.valueOf(TinyLake.START.minusDays(SampleTransforms.HISTORY_DAYS)));
    for (long v = 0; v < versions; v++) {
      Dataset<Row> added =
          spark
              .read()
              .format("delta")
              .option("versionAsOf", v)
              .load(activity)
              .exceptAll(
                  v == 0
                      ? spark.read().format("delta").load(activity).limit(0)
                      : spark.read().format("delta").option("versionAsOf", v - 1).load(activity));
      assertThat(
              added
                  .where(col("event_date").geq(TinyLake.START))
                  .select("event_date")
                  .distinct()
                  .count())
          .as("version %s adds one day", v)
          .isEqualTo(1);
      assertThat(added.where(col("event_date").lt(TinyLake.START)).isEmpty())
          .as("version %s adds history", v)
          .isEqualTo(v > 0);
    }
  }

  @Test
  void aRerunWithTheSameParametersWritesNothing() {
    Path root = TinyLake.shared();
    long before =
        DeltaTable.forPath(spark, root.resolve("raw_activity").toString()).history().count();

    CliRun run = TinyLake.run(root, "sample-data");

    assertThat(run.summary().path("metrics").path("skipped").asBoolean()).isTrue();
    assertThat(DeltaTable.forPath(spark, root.resolve("raw_activity").toString()).history().count())
        .isEqualTo(before);
  }

  @Test
  void otherParametersOverExistingTablesNeedReplace() {
    List<String> args =
        new ArrayList<>(TinyLake.args(TinyLake.shared(), "sample-data", "--seed", "7"));

    CliRun run = CliRun.execute(args);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).contains("--replace");
  }

  private static Dataset<Row> activity(SampleConfig params, int partitions) {
    Dataset<Row> customers =
        SampleTransforms.customers(
            spark.range(0, params.customers(), 1, partitions).toDF(), params);
    return SampleTransforms.activity(
            customers, spark.range(0, params.days(), 1, partitions).toDF(), params)
        .drop(SampleTransforms.APPEND_DAY);
  }

  private static double mean(Dataset<Row> rows) {
    return rows.agg(avg("session_minutes")).first().getDouble(0);
  }
}
