/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.quality.QualityCheck.CheckType;
import dev.sluice.quality.QualityCheck.Level;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestQualityGate extends SparkTestBase {
  private static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("id", DataTypes.StringType, true),
              DataTypes.createStructField("amount", DataTypes.DoubleType, true),
              DataTypes.createStructField("device", DataTypes.StringType, true)));

  @TempDir Path dir;

  @Test
  void eachCheckReportsItsObservedValueAndOutcome() {
    // 20 rows: 2 null ids, 3 negative amounts, 1 unknown device, one duplicated id.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(
          RowFactory.create(
              i < 2 ? null : (i == 19 ? "C0000018" : String.format("C%07d", i)),
              i >= 2 && i < 5 ? -1.0 * i : 10.0 * i,
              i == 7 ? "fax" : "web"));
    }
    Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
    List<QualityCheck> checks =
        List.of(
            check(CheckType.COMPLETENESS, "id", Level.ERROR, 0.95),
            check(CheckType.COMPLETENESS, "id", Level.WARNING, 0.8),
            check(CheckType.NON_NEGATIVE, "amount", Level.WARNING, 1.0),
            contained(),
            check(CheckType.UNIQUENESS, "id", Level.WARNING, 1.0),
            new QualityCheck(
                CheckType.SIZE,
                List.of(),
                Level.ERROR,
                1.0,
                List.of(),
                Optional.of(10.0),
                Optional.of(30.0),
                Optional.empty(),
                Optional.empty()),
            new QualityCheck(
                CheckType.RANGE,
                List.of("amount"),
                Level.WARNING,
                1.0,
                List.of(),
                Optional.of(0.0),
                Optional.of(500.0),
                Optional.empty(),
                Optional.empty()),
            new QualityCheck(
                CheckType.PATTERN,
                List.of("id"),
                Level.WARNING,
                1.0,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("C[0-9]{7}"),
                Optional.empty()),
            new QualityCheck(
                CheckType.SQL,
                List.of(),
                Level.WARNING,
                0.9,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("amount < 150")));

    QualityGate.Report report =
        QualityGate.run(spark, "t", 0, data, checks, 0.5, dir.resolve("metrics.json").toString());
    Map<String, QualityResult> byName =
        report.results().stream()
            .collect(
                Collectors.toMap(
                    r -> r.level() + " " + r.constraint(), Function.identity(), (a, b) -> a));

    assertThat(byName.get("ERROR completeness(id) >= 0.95").passed()).isFalse();
    assertThat(byName.get("ERROR completeness(id) >= 0.95").metricValue().orElseThrow())
        .isCloseTo(18 / 20.0, within(1e-9));
    assertThat(byName.get("WARNING completeness(id) >= 0.8").passed()).isTrue();
    assertThat(byName.get("WARNING non-negative(amount)").metricValue().orElseThrow())
        .isCloseTo(17 / 20.0, within(1e-9));
    assertThat(byName.get("WARNING contained-in(device) in [web, ios]").metricValue().orElseThrow())
        .isCloseTo(19 / 20.0, within(1e-9));
    assertThat(byName.get("WARNING uniqueness(id)").passed()).isFalse();
    assertThat(byName.get("ERROR size(rows) >= 10.0 <= 30.0").passed()).isTrue();
    assertThat(byName.get("ERROR size(rows) >= 10.0 <= 30.0").metricValue().orElseThrow())
        .isEqualTo(20.0);
    assertThat(
            byName
                .get("WARNING range(amount) >= 0.0 <= 500.0 [minimum]")
                .metricValue()
                .orElseThrow())
        .isEqualTo(-4.0);
    // Deequ counts a null as not matching: 18 of 20.
    assertThat(byName.get("WARNING pattern(id) ~ C[0-9]{7}").metricValue().orElseThrow())
        .isCloseTo(18 / 20.0, within(1e-9));
    // amount < 150 holds for rows 0..14 (negatives included): 15 of 20 = 0.75 < 0.9
    assertThat(byName.get("WARNING sql(amount < 150) >= 0.9").metricValue().orElseThrow())
        .isCloseTo(0.75, within(1e-9));
    assertThat(report.errors())
        .extracting(QualityResult::constraint)
        .containsExactly("completeness(id) >= 0.95");
    assertThat(byName).containsKey("WARNING " + QualityGate.ROW_COUNT_ANOMALY);
  }

  @Test
  void rowLevelChecksSplitRowsIntoValidAndQuarantinedWithReasons() {
    List<Row> rows =
        List.of(
            RowFactory.create("a", 1.0, "web"),
            RowFactory.create(null, 2.0, "web"),
            RowFactory.create("c", -3.0, "fax"),
            RowFactory.create("d", null, "ios"));
    Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
    List<QualityCheck> checks =
        List.of(
            check(CheckType.COMPLETENESS, "id", Level.ERROR, 0.5),
            check(CheckType.NON_NEGATIVE, "amount", Level.WARNING, 1.0),
            contained());

    List<Row> failing = QualityGate.failingRows(data, checks).orderBy("amount").collectAsList();

    assertThat(QualityGate.validRows(data, checks).count()).isEqualTo(2);
    assertThat(failing).hasSize(2);
    assertThat(failing.get(0).<String>getAs("_reason"))
        .isEqualTo("non-negative(amount); contained-in(device) in [web, ios]");
    assertThat(failing.get(1).<String>getAs("_reason")).isEqualTo("completeness(id) >= 0.5");
  }

  @Test
  void aSuddenDropInRowCountIsAnAnomaly() {
    String repository = dir.resolve("anomaly.json").toString();
    QualityGate.run(spark, "t", 0, spark.range(100).toDF(), List.of(), 0.5, repository);

    QualityGate.Report second =
        QualityGate.run(spark, "t", 1, spark.range(10).toDF(), List.of(), 0.5, repository);

    QualityResult anomaly =
        second.results().stream()
            .filter(r -> r.constraint().equals(QualityGate.ROW_COUNT_ANOMALY))
            .findFirst()
            .orElseThrow();
    assertThat(anomaly.passed()).as("100 -> 10 rows is a 90%% drop").isFalse();
    assertThat(anomaly.level()).isEqualTo(Level.WARNING);
  }

  private static QualityCheck check(CheckType type, String column, Level level, double fraction) {
    return new QualityCheck(
        type,
        List.of(column),
        level,
        fraction,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static QualityCheck contained() {
    return new QualityCheck(
        CheckType.CONTAINED_IN,
        List.of("device"),
        Level.WARNING,
        1.0,
        List.of("web", "ios"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
