/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.model.CanaryStatistics.Interval;
import dev.sluice.model.CanaryStatistics.ZTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TestCanaryStatistics {
  @Test
  void psiIsTheSumOfShareDifferencesTimesTheirLogRatioWithEmptyBinsSmoothed() {
    long[] expected = {50, 30, 20, 0};
    long[] actual = {25, 25, 25, 25};
    double e0 = 0.5, e1 = 0.3, e2 = 0.2, e3 = 1e-4;
    double a = 0.25;
    double hand =
        (a - e0) * Math.log(a / e0)
            + (a - e1) * Math.log(a / e1)
            + (a - e2) * Math.log(a / e2)
            + (a - e3) * Math.log(a / e3);
    assertThat(CanaryStatistics.psi(expected, actual)).isCloseTo(hand, within(1e-12));
    assertThat(CanaryStatistics.psi(actual, actual)).isZero();
    assertThat(CanaryStatistics.psi(new long[] {0, 0, 0, 0}, actual)).isNaN();
  }

  @Test
  void twoProportionZTestMatchesTheTextbookValue() {
    // 10/100 against 20/100: pooled 0.15, se = sqrt(0.15 * 0.85 * 0.02) = 0.0504975.
    ZTest z = CanaryStatistics.twoProportions(10, 100, 20, 100);
    assertThat(z.z()).isCloseTo(0.1 / Math.sqrt(0.15 * 0.85 * 0.02), within(1e-9));
    assertThat(z.pValue()).isCloseTo(0.04771, within(1e-4));
    assertThat(CanaryStatistics.twoProportions(0, 50, 0, 70).pValue()).isEqualTo(1.0);
  }

  @Test
  void meanDifferenceIntervalIsTheNormalWelchInterval() {
    Interval i = CanaryStatistics.meanDifference(0.30, 0.04, 400, 0.35, 0.09, 100);
    double half = 1.959964 * Math.sqrt(0.04 / 400 + 0.09 / 100);
    assertThat(i.estimate()).isCloseTo(0.05, within(1e-12));
    assertThat(i.low()).isCloseTo(0.05 - half, within(1e-6));
    assertThat(i.high()).isCloseTo(0.05 + half, within(1e-6));
  }

  @Test
  void aucEqualsTheShareOfCorrectlyOrderedPairsWithTiesAsHalf() {
    Random random = new Random(3);
    double[] scores = new double[60];
    int[] labels = new int[60];
    for (int i = 0; i < 60; i++) {
      scores[i] = random.nextInt(8) / 8.0; // many ties
      labels[i] = random.nextDouble() < 0.3 + scores[i] / 2 ? 1 : 0;
    }
    double pairs = 0;
    double wins = 0;
    for (int p = 0; p < 60; p++) {
      for (int n = 0; n < 60; n++) {
        if (labels[p] == 1 && labels[n] == 0) {
          pairs++;
          wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
        }
      }
    }
    assertThat(CanaryStatistics.auc(scores, labels)).isCloseTo(wins / pairs, within(1e-12));
    assertThat(CanaryStatistics.auc(new double[] {0.1, 0.2}, new int[] {1, 1})).isNaN();
  }

  @Test
  void bootstrapIntervalIsSeededAndBracketsAClearDifference() {
    Random random = new Random(5);
    int n = 300;
    double[] champion = new double[n];
    int[] championLabels = new int[n];
    double[] challenger = new double[n];
    int[] challengerLabels = new int[n];
    for (int i = 0; i < n; i++) {
      champion[i] = random.nextDouble();
      championLabels[i] = random.nextBoolean() ? 1 : 0; // unrelated: AUC about 0.5
      challenger[i] = random.nextDouble();
      challengerLabels[i] = challenger[i] > 0.5 ? 1 : 0; // separating: AUC 1
    }
    Interval first =
        CanaryStatistics.bootstrapAucDifference(
            champion, championLabels, challenger, challengerLabels, 200, 7);
    Interval again =
        CanaryStatistics.bootstrapAucDifference(
            champion, championLabels, challenger, challengerLabels, 200, 7);
    assertThat(again).isEqualTo(first);
    assertThat(first.estimate())
        .isCloseTo(1.0 - CanaryStatistics.auc(champion, championLabels), within(1e-12));
    assertThat(first.low()).isGreaterThan(0.3);
    assertThat(first.low()).isLessThanOrEqualTo(first.estimate());
    assertThat(first.high()).isGreaterThanOrEqualTo(first.estimate());
  }

  @Test
  void percentileInterpolatesBetweenClosestRanks() {
    assertThat(CanaryStatistics.percentile(new double[] {1, 2, 3, 4, 5}, 0.5)).isEqualTo(3);
    assertThat(CanaryStatistics.percentile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
  }
}
