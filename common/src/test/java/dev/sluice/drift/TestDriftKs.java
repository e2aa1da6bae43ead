/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.drift.DriftStatistics.KsResult;
import java.util.Random;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class TestDriftKs {
  private static final double[] EDGES = {0, 1};

  @Test
  void ksByHand() {
    // E = [2, 2, 0], A = [1, 2, 1] over [-Inf, 0), [0, 1), [1, +Inf]. Share below edge 0: 1/2
    // and 1/4; below edge 1: 1 and 3/4. D = 1/4; bound = max share on either side = 1/2.
    BinnedSample e = BinnedSample.numeric(new long[] {2, 2, 0}, EDGES, -1.0, 0.5);
    BinnedSample a = BinnedSample.numeric(new long[] {1, 2, 1}, EDGES, -0.5, 2.0);
    KsResult ks = DriftStatistics.ks(e, a);
    assertThat(ks.statistic()).isCloseTo(0.25, within(1e-12));
    assertThat(ks.errorBound()).isCloseTo(0.5, within(1e-12));
    // n = m = 4: sqrt(16 / 8) * 1/4 = 0.3536, where Kolmogorov's survival is about 0.9997.
    assertThat(ks.pValue())
        .isCloseTo(new KolmogorovSmirnovTest().approximateP(0.25, 4, 4), within(1e-12))
        .isGreaterThan(0.999);
  }

  @Test
  void binnedStatisticIsTheExactKsOfTheBinIndices() {
    // Binned values are ties at their bin: the exact KS of "bin index" samples is the binned D.
    Random random = new Random(23);
    for (int trial = 0; trial < 200; trial++) {
      int bins = 1 + random.nextInt(21);
      long[] e = DriftSamples.randomCounts(random, bins);
      long[] a = DriftSamples.randomCounts(random, bins);
      if (DriftSamples.expand(e).length == 0 || DriftSamples.expand(a).length == 0) {
        continue;
      }
      KsResult ks = DriftStatistics.ks(indexSample(e), indexSample(a));
      double exact = DriftSamples.bruteForceKs(DriftSamples.expand(e), DriftSamples.expand(a));
      assertThat(ks.statistic()).as("trial %s", trial).isCloseTo(exact, within(1e-12));
    }
  }

  @Test
  void rawKsLiesWithinTheStatedBoundOfTheBinnedOne() {
    Random random = new Random(29);
    int tight = 0;
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(200);
      int m = 1 + random.nextInt(200);
      // Rounded values make ties, some on the edges themselves.
      double shift = random.nextGaussian() / 2;
      double scale = 0.5 + random.nextDouble();
      double[] baseline = new double[n];
      double[] window = new double[m];
      for (int i = 0; i < n; i++) {
        baseline[i] = Math.round(random.nextGaussian() * 10) / 10.0;
      }
      for (int i = 0; i < m; i++) {
        window[i] = Math.round((shift + scale * random.nextGaussian()) * 10) / 10.0;
      }
      double[] edges = DriftSamples.quantileEdges(baseline, 2 + random.nextInt(20));
      KsResult ks =
          DriftStatistics.ks(DriftSamples.bin(baseline, edges), DriftSamples.bin(window, edges));
      double raw = DriftSamples.bruteForceKs(baseline, window);
      assertThat(raw)
          .as("trial %s: raw D within [binned D, binned D + bound]", trial)
          .isGreaterThanOrEqualTo(ks.statistic() - 1e-12)
          .isLessThanOrEqualTo(ks.statistic() + ks.errorBound() + 1e-12);
      if (raw - ks.statistic() > 1e-9) {
        tight++;
      }
    }
    assertThat(tight).as("binning hides part of the raw D in some trials").isPositive();
  }

  @Test
  void pValueIsTheAsymptoticKolmogorovSurvival() {
    KolmogorovSmirnovTest reference = new KolmogorovSmirnovTest();
    int[][] sizes = {{50, 50}, {200, 30}, {1000, 5000}, {7, 400}};
    for (int[] nm : sizes) {
      for (double t = 0.3; t <= 3.0; t += 0.1) {
        double d = t / Math.sqrt(nm[0] * (double) nm[1] / (nm[0] + nm[1]));
        assertThat(Kolmogorov.survival(Math.sqrt(nm[0] * (double) nm[1] / (nm[0] + nm[1])) * d))
            .as("t = %s", t)
            .isCloseTo(reference.approximateP(d, nm[0], nm[1]), within(1e-10));
      }
    }
    // Critical values of the Kolmogorov distribution: P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05,
    // P(K > 1.6276) = 0.01.
    assertThat(Kolmogorov.survival(1.2238479)).isCloseTo(0.10, within(1e-6));
    assertThat(Kolmogorov.survival(1.3580986)).isCloseTo(0.05, within(1e-6));
    assertThat(Kolmogorov.survival(1.6276236)).isCloseTo(0.01, within(1e-6));
    assertThat(Kolmogorov.survival(0)).isEqualTo(1.0);
    assertThat(Kolmogorov.survival(1e-6)).isEqualTo(1.0);
    assertThat(Kolmogorov.survival(10)).isCloseTo(0, within(1e-80)).isPositive();
  }

  @Test
  void bothSeriesAgreeWhereTheySwitch() {
    assertThat(Kolmogorov.survival(Math.nextDown(1.0)))
        .isCloseTo(Kolmogorov.survival(1.0), within(1e-14));
    // P(K > 1) = 2 (e^-2 - e^-8 + e^-18 - ...) = 0.2699996.
    assertThat(Kolmogorov.survival(1.0))
        .isCloseTo(
            2 * (Math.exp(-2) - Math.exp(-8) + Math.exp(-18) - Math.exp(-32)), within(1e-15));
  }

  @Test
  void hugeSamplesWithATinyGapDoNotFail() {
    // 1e9 rows a side and D = 1e-9: t = 2.2e-5, where a plain alternating series does not converge.
    BinnedSample e =
        BinnedSample.numeric(new long[] {500_000_000, 500_000_000}, new double[] {0}, -1.0, 1.0);
    BinnedSample a =
        BinnedSample.numeric(new long[] {500_000_001, 499_999_999}, new double[] {0}, -1.0, 1.0);
    KsResult ks = DriftStatistics.ks(e, a);
    assertThat(ks.statistic()).isCloseTo(1e-9, within(1e-15));
    assertThat(ks.pValue()).isEqualTo(1.0);
  }

  @Test
  void ksIsSymmetric() {
    Random random = new Random(31);
    for (int trial = 0; trial < 100; trial++) {
      int bins = 1 + random.nextInt(21);
      long[] x = DriftSamples.randomCounts(random, bins);
      long[] y = DriftSamples.randomCounts(random, bins);
      if (DriftSamples.expand(x).length == 0 || DriftSamples.expand(y).length == 0) {
        continue;
      }
      KsResult xy = DriftStatistics.ks(indexSample(x), indexSample(y));
      KsResult yx = DriftStatistics.ks(indexSample(y), indexSample(x));
      assertThat(xy.statistic()).isCloseTo(yx.statistic(), within(1e-12));
      assertThat(xy.pValue()).isCloseTo(yx.pValue(), within(1e-12));
      assertThat(xy.errorBound()).isEqualTo(yx.errorBound());
    }
  }

  @Test
  void identicalAndDisjointDistributions() {
    BinnedSample e = BinnedSample.numeric(new long[] {3, 5, 0}, EDGES, -2.0, 0.5);
    BinnedSample same = BinnedSample.numeric(new long[] {6, 10, 0}, EDGES, -1.0, 0.0);
    KsResult identical = DriftStatistics.ks(e, same);
    assertThat(identical.statistic()).isZero();
    assertThat(identical.pValue()).isEqualTo(1.0);
    BinnedSample above = BinnedSample.numeric(new long[] {0, 0, 4}, EDGES, 1.0, 9.0);
    KsResult disjoint = DriftStatistics.ks(e, above);
    assertThat(disjoint.statistic()).isEqualTo(1.0);
    // n = 8, m = 4: t = sqrt(32 / 12) = 1.633, p about 0.0097.
    assertThat(disjoint.pValue())
        .isCloseTo(new KolmogorovSmirnovTest().approximateP(1.0, 8, 4), within(1e-12))
        .isLessThan(0.01);
    assertThat(disjoint.errorBound()).isEqualTo(1.0);
  }

  @Test
  void constantColumnAndSingleRow() {
    // A constant: one edge c and everything in [c, +Inf], on both sides.
    BinnedSample e = BinnedSample.numeric(new long[] {0, 9}, new double[] {3}, 3.0, 3.0);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 1}, new double[] {3}, 3.0, 3.0);
    assertThat(DriftStatistics.ks(e, a)).isEqualTo(new KsResult(0, 1, 1));
    // A single row below the constant: D = 1, as for the raw values.
    BinnedSample below = BinnedSample.numeric(new long[] {1, 0}, new double[] {3}, 2.0, 2.0);
    KsResult single = DriftStatistics.ks(e, below);
    assertThat(single.statistic()).isEqualTo(1.0);
    assertThat(single.pValue())
        .isCloseTo(new KolmogorovSmirnovTest().approximateP(1.0, 9, 1), within(1e-12));
    assertThat(
            DriftSamples.bruteForceKs(new double[] {3, 3, 3, 3, 3, 3, 3, 3, 3}, new double[] {2}))
        .isEqualTo(single.statistic());
  }

  @Test
  void aSideWithoutValuesGivesNaN() {
    BinnedSample e = BinnedSample.numeric(new long[] {3, 5, 0}, EDGES, -2.0, 0.5);
    BinnedSample none = BinnedSample.numeric(new long[] {0, 0, 0}, EDGES, null, null);
    KsResult ks = DriftStatistics.ks(e, none);
    assertThat(ks.statistic()).isNaN();
    assertThat(ks.pValue()).isNaN();
    assertThat(ks.errorBound()).isNaN();
    assertThat(DriftStatistics.ks(none, e).statistic()).isNaN();
  }

  @Test
  void rejectsCategoricalSamples() {
    BinnedSample c = BinnedSample.categorical(new long[] {1, 2});
    assertThatThrownBy(() -> DriftStatistics.ks(c, c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute KS of categorical samples");
  }

  /** Counts over bins [-Inf, 1), [1, 2), .., whose values are the bin indices themselves. */
  private static BinnedSample indexSample(long[] counts) {
    double[] edges = new double[counts.length - 1];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = i + 1;
    }
    return DriftSamples.bin(DriftSamples.expand(counts), edges);
  }
}
