/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import dev.sluice.config.ConfigReader;
import dev.sluice.jobs.train.Importances.Importance;
import dev.sluice.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * Native and permutation importances map to the right feature names: on crafted data where one
 * feature decides the label it ranks first under both methods, and a linear model's importances are
 * its fitted coefficients by name.
 */
class TestImportances extends SparkTestBase {
  private static final List<FeatureColumn> FEATURES = TestFitting.FEATURES;

  /** 300 rows: x alone decides a binary label (x > 0); n and plan are noise. */
  private static Dataset<Row> decidedByX(boolean binary) {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 300; id++) {
      double x = random.nextGaussian();
      long n = random.nextInt(5);
      String plan = List.of("a", "b", "c").get(random.nextInt(3));
      double label = binary ? (x > 0 ? 1.0 : 0.0) : 3 * x - 0.5 * n + ("a".equals(plan) ? 1.5 : 0);
      rows.add(RowFactory.create(id, x, n, plan, label));
    }
    return TestFitting.frame(rows);
  }

  private static TrainSpec spec(String train) {
    String conf = "sluice.models.m { train { " + train + " }, gate { minimums { } } }";
    return TrainSpec.fromModel(
        new ConfigReader(ConfigFactory.parseString(conf).getConfig("sluice"), "sluice"), "m");
  }

  @Test
  void theDecidingFeatureRanksFirstNativelyAndByPermutation() {
    TrainSpec spec =
        spec(
            "task = binary-classification, algorithm = gbt, params { maxIter = 10, maxDepth = 3 }");
    Dataset<Row> data = decidedByX(true).cache();
    Dataset<Row> holdout = data.where(col("id").mod(4).equalTo(0));
    PipelineModel model =
        Fitting.fit(spec, FEATURES, data.where(col("id").mod(4).notEqual(0))).model();

    List<Importance> natives = Importances.nativeOf(model, holdout, FEATURES);
    // 2 numeric slots, then plan's one-hot slots, each named by its category.
    assertThat(natives).extracting(Importance::feature).containsOnly("g.x", "g.n", "g.plan");
    assertThat(natives.stream().filter(i -> i.feature().equals("g.plan")))
        .extracting(Importance::category)
        .contains("a", "b")
        .doesNotContainNull();
    assertThat(ImportanceTable.ranked(natives, Importances.NATIVE).get(0).feature())
        .isEqualTo("g.x");
    assertThat(natives.stream().mapToDouble(Importance::importance).sum())
        .as("tree importances sum to 1")
        .isCloseTo(1.0, within(1e-9));

    List<Importance> permuted =
        PermutationImportance.compute(model, holdout, FEATURES, Task.BINARY_CLASSIFICATION, 3, 7);
    assertThat(permuted).extracting(Importance::feature).containsExactly("g.x", "g.n", "g.plan");
    List<Importance> ranked = ImportanceTable.ranked(permuted, Importances.PERMUTATION);
    assertThat(ranked.get(0).feature()).isEqualTo("g.x");
    // Shuffling x makes the model guess: AUC falls from about 1 to about 0.5.
    assertThat(ranked.get(0).importance()).isGreaterThan(0.3);
    assertThat(ranked.get(0).repeats()).isEqualTo(3);
    assertThat(ranked.get(0).std()).isGreaterThanOrEqualTo(0.0);
    assertThat(ranked.get(0).metric()).isEqualTo("auc_roc");

    // The unpermuted copy's AUC equals the holdout AUC Spark's evaluation computes.
    Map<String, Double> metrics =
        PermutationImportance.metrics(
            model,
            holdout,
            FEATURES,
            Task.BINARY_CLASSIFICATION,
            new PermutationImportance.Shuffles(1, 7));
    assertThat(metrics).hasSize(1 + FEATURES.size());
    Evaluation evaluation = Evaluation.of(spec, model, holdout);
    assertThat(metrics.get(PermutationImportance.key("", 0)))
        .isCloseTo(evaluation.metrics().get("auc_roc"), within(1e-9));
    evaluation.release();
    data.unpersist();
  }

  @Test
  void aLinearModelsImportancesAreItsCoefficientsByName() {
    // y = 3x - 0.5n + 1.5 [plan = a], noise-free: the fitted coefficients of x and n: 3, -0.5.
    TrainSpec spec =
        spec("task = regression, algorithm = linear-regression, params { maxIter = 100 }");
    Dataset<Row> data = decidedByX(false);
    PipelineModel model = Fitting.fit(spec, FEATURES, data).model();
    Map<String, Double> byName =
        Importances.nativeOf(model, data, FEATURES).stream()
            .collect(
                Collectors.toMap(
                    i -> i.category() == null ? i.feature() : i.feature() + "=" + i.category(),
                    Importance::importance));
    assertThat(byName.get("g.x")).isCloseTo(3.0, within(1e-3));
    assertThat(byName.get("g.n")).isCloseTo(-0.5, within(1e-3));
    // Plan "a" against the others: its coefficient exceeds b's and c's by 1.5.
    assertThat(byName.get("g.plan=a") - byName.get("g.plan=b")).isCloseTo(1.5, within(1e-3));
    assertThat(byName.get("g.plan=a") - byName.get("g.plan=c")).isCloseTo(1.5, within(1e-3));

    List<Importance> permuted =
        PermutationImportance.compute(model, data, FEATURES, Task.REGRESSION, 2, 7);
    assertThat(ImportanceTable.ranked(permuted, Importances.PERMUTATION).get(0).feature())
        .as("x moves y most: 3 sd against n's 0.5 * 1.4")
        .isEqualTo("g.x");
    assertThat(permuted.get(0).metric()).isEqualTo("rmse");
  }

  @Test
  void aLogisticModelsImportancesAreItsCoefficientsInVectorOrder() {
    TrainSpec spec =
        spec(
            "task = binary-classification, algorithm = logistic-regression, params { maxIter = 30 }");
    Dataset<Row> data = decidedByX(true);
    PipelineModel model = Fitting.fit(spec, FEATURES, data).model();
    double[] coefficients =
        ((LogisticRegressionModel) model.stages()[model.stages().length - 1])
            .coefficients()
            .toArray();
    List<Importance> natives = Importances.nativeOf(model, data, FEATURES);
    assertThat(natives).hasSize(coefficients.length);
    // The assembler puts the imputed numeric features first, in feature order.
    assertThat(natives.get(0).feature()).isEqualTo("g.x");
    assertThat(natives.get(1).feature()).isEqualTo("g.n");
    for (int i = 0; i < coefficients.length; i++) {
      assertThat(natives.get(i).importance()).isEqualTo(coefficients[i]);
      assertThat(natives.get(i).metric()).isEqualTo("coefficient");
    }
  }
}
