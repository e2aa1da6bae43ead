/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.jobs.train.CardMetrics.Interval;
import dev.sluice.jobs.train.CardMetrics.Predictions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The card's metrics against brute-force definitions; the bootstrap's intervals. */
class TestCardMetrics {
  /** n rows: label 1 with probability 0.3; the score a noisy signal of it, rounded (ties). */
  private static Predictions predictions(int n, long seed) {
    Random random = new Random(seed);
    double[] labels = new double[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
      double s = 1 / (1 + Math.exp(-(2 * labels[i] - 1 + random.nextGaussian())));
      scores[i] = Math.round(s * 50) / 50.0;
    }
    return new Predictions(labels, scores);
  }

  @Test
  void aucIsTheShareOfCorrectlyOrderedPairsWithTiesHalf() {
    Predictions p = predictions(300, 1);
    double pairs = 0;
    double wins = 0;
    for (int i = 0; i < p.size(); i++) {
      for (int j = 0; j < p.size(); j++) {
        if (p.labels()[i] == 1 && p.labels()[j] == 0) {
          pairs++;
          double d = p.scores()[i] - p.scores()[j];
          wins += d > 0 ? 1 : d == 0 ? 0.5 : 0;
        }
      }
    }
    assertThat(CardMetrics.auc(p)).isCloseTo(wins / pairs, within(1e-12));
  }

  @Test
  void curvesHaveOnePointPerDistinctScore() {
    Predictions p = predictions(300, 2);
    long distinct = Arrays.stream(p.scores()).distinct().count();
    List<double[]> roc = CardMetrics.roc(p);
    assertThat(roc).hasSize((int) distinct + 1);
    assertThat(roc.get(0)).containsExactly(0, 0);
    assertThat(roc.get(roc.size() - 1)).containsExactly(1, 1);
    List<double[]> pr = CardMetrics.pr(p);
    assertThat(pr).hasSize((int) distinct);
    assertThat(pr.get(pr.size() - 1)[0]).isEqualTo(1.0);
    double positives = Arrays.stream(p.labels()).sum();
    assertThat(pr.get(pr.size() - 1)[1]).isCloseTo(positives / p.size(), within(1e-12));
    // The trapezoids under the ROC curve add up to the AUC.
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      area += (roc.get(i)[0] - roc.get(i - 1)[0]) * (roc.get(i)[1] + roc.get(i - 1)[1]) / 2;
    }
    assertThat(area).isCloseTo(CardMetrics.auc(p), within(1e-12));
  }

  @Test
  void bootstrapIntervalsHoldTheEstimateNarrowWithMoreRowsAndAreSeeded() {
    Predictions small = predictions(150, 3);
    Predictions large = predictions(1500, 3);
    List<Interval> a = CardMetrics.bootstrap(Task.BINARY_CLASSIFICATION, small, 0.5, 200, 0.95, 7);
    List<Interval> b = CardMetrics.bootstrap(Task.BINARY_CLASSIFICATION, large, 0.5, 200, 0.95, 7);
    assertThat(a).extracting(Interval::metric).containsExactly("auc_roc", "accuracy", "log_loss");
    for (int i = 0; i < a.size(); i++) {
      for (Interval interval : List.of(a.get(i), b.get(i))) {
        assertThat(interval.estimate())
            .as(interval.metric())
            .isBetween(interval.lower(), interval.upper());
      }
      assertThat(b.get(i).upper() - b.get(i).lower())
          .as(a.get(i).metric() + ": 10x the rows, about a third of the width")
          .isLessThan((a.get(i).upper() - a.get(i).lower()) / 2);
    }
    assertThat(a.get(0).estimate()).isEqualTo(CardMetrics.auc(small));
    assertThat(CardMetrics.bootstrap(Task.BINARY_CLASSIFICATION, small, 0.5, 200, 0.95, 7))
        .as("same seed, same intervals")
        .isEqualTo(a);
  }

  @Test
  void regressionMetricsFollowTheirDefinitions() {
    Predictions p = new Predictions(new double[] {1, 2, 3, 4}, new double[] {1, 3, 3, 2});
    // Errors 0, 1, 0, -2: RMSE sqrt(5/4), MAE 3/4, R2 1 - 5/5 = 0 (labels' squares sum to 5).
    assertThat(CardMetrics.rmse(p)).isCloseTo(Math.sqrt(1.25), within(1e-12));
    assertThat(CardMetrics.mae(p)).isCloseTo(0.75, within(1e-12));
    assertThat(CardMetrics.r2(p)).isCloseTo(0.0, within(1e-12));
  }
}
