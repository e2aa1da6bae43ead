/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.canary;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Canary outcomes on crafted cohorts: clearly better, clearly worse, shifted, too few rows. */
class TestCanaryMetrics extends SparkTestBase {
  private static final CanarySpec SPEC =
      new CanarySpec(200, 3, 10, 0.1, 0.2, 0.05, 0.05, 0.02, 200, 7, Optional.empty());

  /** How a side labels a row from its score: a separating or an unrelated label. */
  private static final DoubleUnaryOperator SEPARATING = s -> s > 0.5 ? 1 : 0;

  private static Dataset<Row> sides(
      int n, DoubleUnaryOperator championLabel, DoubleUnaryOperator challengerLabel, double shift) {
    Random random = new Random(13);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double c = random.nextDouble();
      rows.add(RowFactory.create("champion", c, label(championLabel, c, random)));
      double k = Math.min(1, random.nextDouble() + shift);
      rows.add(RowFactory.create("challenger", k, label(challengerLabel, k, random)));
    }
    return spark.createDataFrame(
        rows,
        createStructType(
            List.of(
                createStructField(CanaryMetrics.SIDE, StringType, false),
                createStructField(CanaryMetrics.SCORE, DoubleType, true),
                createStructField(CanaryMetrics.LABEL, IntegerType, true))));
  }

  private static Integer label(DoubleUnaryOperator rule, double score, Random random) {
    return rule == null
        ? (Integer) (random.nextBoolean() ? 1 : 0)
        : (int) rule.applyAsDouble(score);
  }

  private static Map<String, String> outcomes(List<MetricResult> results) {
    return results.stream().collect(Collectors.toMap(MetricResult::metric, MetricResult::outcome));
  }

  @Test
  void aClearlyBetterChallengerSucceedsOnEveryMetric() {
    List<MetricResult> results = CanaryMetrics.evaluate(sides(1000, null, SEPARATING, 0), SPEC);
    assertThat(outcomes(results))
        .containsEntry("score_psi", "success")
        .containsEntry("null_rate", "success")
        .containsEntry("mean_shift", "success")
        .containsEntry("auc", "success");
    assertThat(MetricResult.windowOutcome(results)).isEqualTo("success");
    MetricResult auc =
        results.stream().filter(m -> m.metric().equals("auc")).findFirst().orElseThrow();
    assertThat(auc.challengerValue()).isEqualTo(1.0);
    assertThat(auc.championN()).isEqualTo(1000);
  }

  @Test
  void aClearlyWorseChallengerFailsOnAuc() {
    List<MetricResult> results = CanaryMetrics.evaluate(sides(1000, SEPARATING, null, 0), SPEC);
    assertThat(outcomes(results)).containsEntry("auc", "failure");
    assertThat(MetricResult.windowOutcome(results)).isEqualTo("failure");
  }

  @Test
  void aShiftedScoreDistributionFailsBeforeLabelsLand() {
    Dataset<Row> unlabelled =
        sides(1000, null, null, 0.3)
            .withColumn(CanaryMetrics.LABEL, org.apache.spark.sql.functions.lit(null).cast("int"));
    List<MetricResult> results = CanaryMetrics.evaluate(unlabelled, SPEC);
    assertThat(outcomes(results))
        .containsEntry("score_psi", "failure")
        .containsEntry("mean_shift", "failure")
        .doesNotContainKey("auc");
    MetricResult psi =
        results.stream().filter(m -> m.metric().equals("score_psi")).findFirst().orElseThrow();
    assertThat(psi.statistic()).isGreaterThan(0.2);
  }

  @Test
  void tooFewRowsInACohortIsInconclusive() {
    List<MetricResult> results = CanaryMetrics.evaluate(sides(50, null, SEPARATING, 0), SPEC);
    assertThat(results).allSatisfy(m -> assertThat(m.outcome()).isEqualTo("inconclusive"));
    assertThat(results.get(0).test()).contains("fewer than 200 rows");
    assertThat(MetricResult.windowOutcome(results)).isEqualTo("inconclusive");
  }

  @Test
  void moreNullPredictionsInTheChallengerFailTheNullRateTest() {
    Dataset<Row> withNulls =
        sides(1000, null, null, 0)
            .selectExpr(
                "side",
                "CASE WHEN side = 'challenger' AND rand(1) < 0.1 THEN double('NaN') ELSE probability END AS probability",
                "label");
    assertThat(outcomes(CanaryMetrics.evaluate(withNulls, SPEC)))
        .containsEntry("null_rate", "failure");
  }
}
