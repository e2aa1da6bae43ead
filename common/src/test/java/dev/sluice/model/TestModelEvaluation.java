/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TestModelEvaluation extends SparkTestBase {
  private static final double TOLERANCE = 1e-12;
  private static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("label", DataTypes.DoubleType, true),
              DataTypes.createStructField("probability", DataTypes.DoubleType, true)));

  /** (label, probability): ties across classes at 0.8, 0.6 and 0.3; both ends of [0, 1]. */
  private static final double[][] TIED = {
    {1, 1.0}, {1, 0.9}, {1, 0.8}, {0, 0.8}, {1, 0.7}, {1, 0.6}, {0, 0.6},
    {0, 0.6}, {1, 0.55}, {0, 0.45}, {1, 0.3}, {0, 0.3}, {0, 0.1}, {0, 0.0}
  };

  @Test
  void binaryMetricsMatchAnIndependentComputation() {
    double threshold = 0.6;
    int bins = 4;
    BinaryMetrics m = ModelEvaluation.binary(frame(TIED), "label", "probability", threshold, bins);

    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    double logLoss = 0;
    for (double[] e : TIED) {
      boolean predicted = e[1] >= threshold;
      boolean positive = e[0] == 1;
      tp += predicted && positive ? 1 : 0;
      fp += predicted && !positive ? 1 : 0;
      tn += !predicted && !positive ? 1 : 0;
      fn += !predicted && positive ? 1 : 0;
      double p = Math.min(Math.max(e[1], 1e-15), 1 - 1e-15);
      logLoss -= e[0] * Math.log(p) + (1 - e[0]) * Math.log(1 - p);
    }
    double precision = (double) tp / (tp + fp);
    double recall = (double) tp / (tp + fn);

    assertThat(m.count()).isEqualTo(TIED.length);
    assertThat(m.positives()).isEqualTo(tp + fn);
    assertThat(m.aucRoc())
        .as("Mann-Whitney, ties 1/2")
        .isCloseTo(mannWhitney(TIED), within(TOLERANCE));
    assertThat(m.aucPr())
        .as("trapezoid over the PR curve")
        .isCloseTo(prArea(TIED), within(TOLERANCE));
    assertThat(m.logLoss()).isCloseTo(logLoss / TIED.length, within(TOLERANCE));
    assertThat(m.accuracy()).isCloseTo((double) (tp + tn) / TIED.length, within(TOLERANCE));
    assertThat(m.precision()).isCloseTo(precision, within(TOLERANCE));
    assertThat(m.recall()).isCloseTo(recall, within(TOLERANCE));
    assertThat(m.f1()).isCloseTo(2 * precision * recall / (precision + recall), within(TOLERANCE));
    assertThat(m.threshold()).isEqualTo(threshold);
    assertCalibration(m, TIED, bins);
  }

  @Test
  void emptyCalibrationBinsArePresentWithNaNMeans() {
    double[][] ends = {{0, 0.05}, {0, 0.1}, {1, 0.95}, {1, 1.0}};
    BinaryMetrics m = ModelEvaluation.binary(frame(ends), "label", "probability", 0.5, 10);

    assertThat(m.calibration()).hasSize(10);
    assertThat(m.calibration().get(5).count()).isZero();
    assertThat(m.calibration().get(5).meanPredicted()).isNaN();
    assertThat(m.calibration().get(5).observedRate()).isNaN();
    assertThat(m.calibration().get(9).count()).as("p = 1.0 falls in the last bin").isEqualTo(2);
    assertCalibration(m, ends, 10);
  }

  @Test
  void perfectlySeparatingScoresHaveAucOne() {
    double[][] separated = {{0, 0.1}, {0, 0.2}, {0, 0.2}, {1, 0.7}, {1, 0.9}, {1, 0.9}};
    BinaryMetrics m = ModelEvaluation.binary(frame(separated), "label", "probability", 0.5, 5);

    assertThat(m.aucRoc()).isEqualTo(1.0);
    assertThat(m.aucPr()).isEqualTo(1.0);
    assertThat(m.accuracy()).isEqualTo(1.0);
    assertThat(m.f1()).isEqualTo(1.0);
  }

  @Test
  void equalScoresHaveAucOneHalf() {
    double[][] equal = {{0, 0.4}, {1, 0.4}, {0, 0.4}, {1, 0.4}, {0, 0.4}};
    BinaryMetrics m = ModelEvaluation.binary(frame(equal), "label", "probability", 0.5, 5);

    assertThat(m.aucRoc()).isEqualTo(0.5);
    assertThat(m.aucPr())
        .as("one point at precision 2/5")
        .isCloseTo(prArea(equal), within(TOLERANCE));
    assertThat(m.precision()).as("nothing predicted positive").isZero();
    assertThat(m.recall()).isZero();
    assertThat(m.f1()).isZero();
  }

  @Test
  void aucsAreNaNWithOneClass() {
    double[][] negatives = {{0, 0.4}, {0, 0.7}};
    BinaryMetrics m = ModelEvaluation.binary(frame(negatives), "label", "probability", 0.5, 2);

    assertThat(m.aucRoc()).isNaN();
    assertThat(m.aucPr()).isNaN();
    assertThat(m.recall()).as("no positives").isZero();
    assertThat(m.asMetrics())
        .containsOnlyKeys(
            "auc_roc",
            "auc_pr",
            "log_loss",
            "accuracy",
            "precision",
            "recall",
            "f1",
            "calibration_error",
            "count",
            "positives");
  }

  @Test
  void refusesNullProbabilitiesAndLabelsOutsideZeroOne() {
    List<Row> withNull = new ArrayList<>(rows(TIED));
    withNull.add(RowFactory.create(1.0, null));
    withNull.add(RowFactory.create(0.0, null));
    Dataset<Row> nullProbability = spark.createDataFrame(withNull, SCHEMA);

    assertThatThrownBy(
            () -> ModelEvaluation.binary(nullProbability, "label", "probability", 0.5, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot evaluate: 2 rows have a null in probability (drop or repair them first)");
    assertThatThrownBy(
            () ->
                ModelEvaluation.binary(
                    frame(new double[][] {{2, 0.5}}), "label", "probability", 0.5, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot evaluate: 1 rows have a value other than 0 and 1 in label (drop or repair them first)");
  }

  @Test
  void regressionMetricsMatchHandLoops() {
    double[][] pairs = {{3.0, 2.5}, {-0.5, 0.0}, {2.0, 2.0}, {7.0, 8.0}, {4.25, 3.0}};
    RegressionMetrics m = ModelEvaluation.regression(predictions(pairs), "label", "prediction");

    double mean = 0;
    for (double[] e : pairs) {
      mean += e[0] / pairs.length;
    }
    double ssRes = 0;
    double absSum = 0;
    double ssTot = 0;
    for (double[] e : pairs) {
      ssRes += (e[1] - e[0]) * (e[1] - e[0]);
      absSum += Math.abs(e[1] - e[0]);
      ssTot += (e[0] - mean) * (e[0] - mean);
    }
    assertThat(m.count()).isEqualTo(pairs.length);
    assertThat(m.rmse()).isCloseTo(Math.sqrt(ssRes / pairs.length), within(TOLERANCE));
    assertThat(m.mae()).isCloseTo(absSum / pairs.length, within(TOLERANCE));
    assertThat(m.r2()).isCloseTo(1 - ssRes / ssTot, within(TOLERANCE));
    assertThat(m.asMetrics()).containsOnlyKeys("rmse", "mae", "r2", "count");
  }

  @Test
  void r2IsNaNForAConstantLabel() {
    double[][] constant = {{2.0, 2.0}, {2.0, 2.5}, {2.0, 1.0}};
    RegressionMetrics m = ModelEvaluation.regression(predictions(constant), "label", "prediction");

    assertThat(m.r2()).as("SS_tot = 0").isNaN();
    assertThat(m.mae()).isCloseTo(0.5, within(TOLERANCE));
  }

  /** AUC-ROC as P(score of a positive > score of a negative), ties 1/2, over all pairs. */
  private static double mannWhitney(double[][] examples) {
    double wins = 0;
    long pairs = 0;
    for (double[] pos : examples) {
      for (double[] neg : examples) {
        if (pos[0] == 1 && neg[0] == 0) {
          pairs++;
          wins += pos[1] > neg[1] ? 1 : pos[1] == neg[1] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  /**
   * The PR curve over distinct thresholds, descending (positive iff p >= threshold), preceded by
   * (recall 0, precision of the first threshold), integrated by trapezoids.
   */
  private static double prArea(double[][] examples) {
    TreeSet<Double> thresholds = new TreeSet<>();
    long positives = 0;
    for (double[] e : examples) {
      thresholds.add(e[1]);
      positives += e[0] == 1 ? 1 : 0;
    }
    List<double[]> curve = new ArrayList<>();
    for (double t : thresholds.descendingSet()) {
      long tp = 0;
      long predicted = 0;
      for (double[] e : examples) {
        if (e[1] >= t) {
          predicted++;
          tp += e[0] == 1 ? 1 : 0;
        }
      }
      curve.add(new double[] {(double) tp / positives, (double) tp / predicted});
    }
    curve.add(0, new double[] {0, curve.get(0)[1]});
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      area += (curve.get(i)[0] - curve.get(i - 1)[0]) * (curve.get(i)[1] + curve.get(i - 1)[1]) / 2;
    }
    return area;
  }

  private static void assertCalibration(BinaryMetrics m, double[][] examples, int bins) {
    long[] count = new long[bins];
    double[] pSum = new double[bins];
    double[] ySum = new double[bins];
    for (double[] e : examples) {
      int b = Math.min((int) Math.floor(e[1] * bins), bins - 1);
      count[b]++;
      pSum[b] += e[1];
      ySum[b] += e[0];
    }
    double ece = 0;
    assertThat(m.calibration()).hasSize(bins);
    for (int b = 0; b < bins; b++) {
      CalibrationBin bin = m.calibration().get(b);
      assertThat(bin.index()).isEqualTo(b);
      assertThat(bin.lower()).isEqualTo((double) b / bins);
      assertThat(bin.upper()).isEqualTo((double) (b + 1) / bins);
      assertThat(bin.count()).as("bin %s count", b).isEqualTo(count[b]);
      if (count[b] > 0) {
        assertThat(bin.meanPredicted()).isCloseTo(pSum[b] / count[b], within(TOLERANCE));
        assertThat(bin.observedRate()).isCloseTo(ySum[b] / count[b], within(TOLERANCE));
        ece += count[b] * Math.abs(pSum[b] / count[b] - ySum[b] / count[b]);
      }
    }
    assertThat(m.expectedCalibrationError()).isCloseTo(ece / examples.length, within(TOLERANCE));
  }

  private static Dataset<Row> frame(double[][] examples) {
    return spark.createDataFrame(rows(examples), SCHEMA);
  }

  /** (label, prediction) pairs of a regression model. */
  private static Dataset<Row> predictions(double[][] pairs) {
    return frame(pairs).withColumnRenamed("probability", "prediction");
  }

  private static List<Row> rows(double[][] examples) {
    List<Row> rows = new ArrayList<>();
    for (double[] e : examples) {
      rows.add(RowFactory.create(e[0], e[1]));
    }
    return rows;
  }
}
