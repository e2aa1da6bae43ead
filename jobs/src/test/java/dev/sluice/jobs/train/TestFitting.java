/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.sluice.config.ConfigReader;
import dev.sluice.error.SluiceException;
import dev.sluice.jobs.train.Trainer.FittedModel;
import dev.sluice.model.ModelArtifact;
import dev.sluice.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every algorithm fits and evaluates through the same pipeline; tuning and determinism. */
class TestFitting extends SparkTestBase {
  static final List<FeatureColumn> FEATURES =
      List.of(
          new FeatureColumn("g.x", "g__x", "double"),
          new FeatureColumn("g.n", "g__n", "bigint"),
          new FeatureColumn("g.plan", "g__plan", "string"));

  @TempDir Path dir;

  /**
   * 400 rows: the label depends on x and on plan "a"; x and plan are sometimes null (imputed, or
   * the kept-invalid slot); every fifth entity is the holdout.
   */
  private static Dataset<Row> data(boolean binary) {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 400; id++) {
      double x = random.nextGaussian();
      String plan = List.of("a", "b", "c").get(random.nextInt(3));
      double signal = 2 * x + ("a".equals(plan) ? 1.5 : 0) + 0.3 * random.nextGaussian();
      double label = binary ? (signal > 0.5 ? 1.0 : 0.0) : signal;
      rows.add(
          RowFactory.create(
              id,
              id % 17 == 0 ? null : x,
              (long) random.nextInt(5),
              id % 23 == 0 ? null : plan,
              label));
    }
    return frame(rows);
  }

  /** Rows of (id, {@link #FEATURES}' columns, the label) as a data frame. */
  static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(
        rows,
        createStructType(
            List.of(
                createStructField("id", LongType, false),
                createStructField("g__x", DoubleType, true),
                createStructField("g__n", LongType, true),
                createStructField("g__plan", StringType, true),
                createStructField(ModelPipelines.LABEL, DoubleType, false))));
  }

  private static TrainSpec spec(String train) {
    String conf =
        "sluice.models.m { train { " + train + " }, gate { minimums { } }, baseline { bins = 5 } }";
    return TrainSpec.fromModel(
        new ConfigReader(ConfigFactory.parseString(conf).getConfig("sluice"), "sluice"), "m");
  }

  @ParameterizedTest
  @CsvSource({
    "binary-classification, logistic-regression, '{ maxIter = 50 }'",
    "binary-classification, random-forest, '{ numTrees = 20, maxDepth = 4 }'",
    "binary-classification, gbt, '{ maxIter = 15, maxDepth = 3 }'",
    "regression, linear-regression, '{ maxIter = 50 }'",
    "regression, random-forest, '{ numTrees = 20, maxDepth = 5 }'",
    "regression, gbt, '{ maxIter = 20, maxDepth = 3 }'"
  })
  void everyAlgorithmFitsAndEvaluatesOnTheHoldout(String task, String algorithm, String params) {
    boolean binary = task.equals("binary-classification");
    TrainSpec spec = spec("task = " + task + ", algorithm = " + algorithm + ", params = " + params);
    Dataset<Row> data = data(binary);
    Dataset<Row> training = data.where(col("id").mod(5).notEqual(0));
    Dataset<Row> holdout = data.where(col("id").mod(5).equalTo(0));

    FittedModel fitted = Fitting.fit(spec, FEATURES, training);
    Evaluation evaluation = Evaluation.of(spec, fitted.model(), holdout);

    assertThat(evaluation.metrics().get("count")).isEqualTo(80.0);
    if (binary) {
      assertThat(evaluation.metrics().get("auc_roc")).as(algorithm).isGreaterThan(0.85);
      assertThat(evaluation.metrics().get("log_loss")).isBetween(0.0, 0.6);
      assertThat(evaluation.scored().where(col(Evaluation.SCORE).isNull()).count()).isZero();
    } else {
      assertThat(evaluation.metrics().get("r2")).as(algorithm).isGreaterThan(0.6);
      assertThat(evaluation.metrics().get("rmse")).isPositive();
    }
  }

  @Test
  void aGridSearchKeepsTheBestCandidateAndLogsEveryCandidatesScore() {
    TrainSpec spec =
        spec(
            "task = binary-classification, algorithm = random-forest, seed = 3,"
                + " params { numTrees = 10 }, grid { maxDepth = [1, 5] },"
                + " tuning { method = cross-validation, folds = 2 }");
    FittedModel fitted = Fitting.fit(spec, FEATURES, data(true));
    assertThat(fitted.tuningMetrics()).hasSize(2);
    double depth1 = fitted.tuningMetrics().get(0).value();
    double depth5 = fitted.tuningMetrics().get(1).value();
    String expected = depth5 > depth1 ? "5" : "1";
    assertThat(fitted.bestParams()).containsEntry("maxDepth", expected);
  }

  @Test
  void identicalTrainingsShareADigestAndOtherParamsChangeIt() {
    String conf = "task = binary-classification, algorithm = gbt, params { maxIter = 8 }";
    Dataset<Row> data = data(true);
    String first = digest(Fitting.fit(spec(conf), FEATURES, data), "a");
    String second = digest(Fitting.fit(spec(conf), FEATURES, data), "b");
    String other =
        digest(
            Fitting.fit(
                spec("task = binary-classification, algorithm = gbt, params { maxIter = 9 }"),
                FEATURES,
                data),
            "c");
    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aGridWithoutATuningMethodIsAConfigError() {
    TrainSpec spec =
        spec("task = binary-classification, algorithm = gbt, grid { maxDepth = [2, 3] }");
    assertThatThrownBy(() -> Fitting.fit(spec, FEATURES, data(true)))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.models.m.train.tuning.method");
  }

  @Test
  void aParamValueOutsideItsRangeIsAConfigErrorNamingTheKey() {
    TrainSpec spec =
        spec("task = binary-classification, algorithm = gbt, params { maxDepth = -1 }");
    assertThatThrownBy(() -> Fitting.fit(spec, FEATURES, data(true)))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("train.params.maxDepth");
  }

  @Test
  void anAlgorithmOfAnotherTaskIsAConfigErrorListingTheChoices() {
    assertThatThrownBy(() -> spec("task = regression, algorithm = logistic-regression"))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.models.m.train.algorithm")
        .hasMessageContaining("linear-regression");
  }

  private String digest(FittedModel fitted, String name) {
    return ModelArtifact.write(
            fitted.model(),
            dir.resolve(name),
            Artifacts.info(name, FEATURES, Task.BINARY_CLASSIFICATION))
        .digest();
  }
}
