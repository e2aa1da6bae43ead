/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.drift.DriftStatistics.ChiSquaredResult;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/** PSI, Jensen-Shannon, total variation, L-infinity and chi-square, and the categorical extras. */
class TestDriftShareStatistics {
  private static final double TOLERANCE = 1e-12;
  private static final double LN_2 = Math.log(2);

  // Baseline E = [2, 2, 0], window A = [1, 2, 1]: e = (1/2, 1/2, 0), a = (1/4, 1/2, 1/4).
  private static final BinnedSample E = BinnedSample.categorical(new long[] {2, 2, 0});
  private static final BinnedSample A = BinnedSample.categorical(new long[] {1, 2, 1});

  @Test
  void psiByHandSmoothsTheEmptyBaselineBin() {
    // (1/4 - 1/2) ln(1/2) + 0 + (1/4 - 1e-4) ln(1/4 / 1e-4) = 0.1732868 + 1.9552290 = 2.1285158
    double hand = (0.25 - 0.5) * Math.log(0.5) + (0.25 - 1e-4) * Math.log(0.25 / 1e-4);
    assertThat(DriftStatistics.psi(E, A)).isCloseTo(hand, within(TOLERANCE));
    assertThat(DriftStatistics.psi(E, A)).isCloseTo(2.1285158, within(1e-7));
  }

  @Test
  void jsDistanceByHand() {
    // m = (3/8, 1/2, 1/8). KL(a || m) = 1/4 log2(2/3) + 0 + 1/4 log2(2) = 0.1037594;
    // KL(e || m) = 1/2 log2(4/3) = 0.2075187. JSD = 0.1556391, distance = 0.3945112.
    double kla = 0.25 * Math.log(2.0 / 3) / LN_2 + 0.25;
    double kle = 0.5 * Math.log(4.0 / 3) / LN_2;
    assertThat(DriftStatistics.jsDistance(E, A))
        .isCloseTo(Math.sqrt((kla + kle) / 2), within(TOLERANCE));
    assertThat(DriftStatistics.jsDistance(E, A)).isCloseTo(0.3945112, within(1e-7));
  }

  @Test
  void tvAndLInfinityByHand() {
    // |a - e| = (1/4, 0, 1/4): TV = 1/4, L-infinity = 1/4.
    assertThat(DriftStatistics.tvDistance(E, A)).isCloseTo(0.25, within(TOLERANCE));
    assertThat(DriftStatistics.lInfinity(E, A)).isCloseTo(0.25, within(TOLERANCE));
  }

  @Test
  void chiSquaredByHand() {
    // Column totals 3, 4, 1; rows 4 and 4 of 8, so expected counts are 1.5, 2, 0.5 in each row.
    // E: 0.25/1.5 + 0 + 0.25/0.5 = 2/3; A: the same; statistic 4/3 with 2 df, and the chi-square
    // survival with 2 df is exp(-x/2): p = exp(-2/3) = 0.5134171.
    ChiSquaredResult chi = DriftStatistics.chiSquared(E, A);
    assertThat(chi.statistic()).isCloseTo(4.0 / 3, within(TOLERANCE));
    assertThat(chi.degreesOfFreedom()).isEqualTo(2);
    assertThat(chi.pValue()).isCloseTo(Math.exp(-2.0 / 3), within(1e-12));
  }

  @Test
  void chiSquaredDropsBinsEmptyOnBothSides() {
    // The same table with two bins empty on both sides: same statistic, same 2 df.
    BinnedSample e = BinnedSample.categorical(new long[] {0, 2, 2, 0, 0});
    BinnedSample a = BinnedSample.categorical(new long[] {0, 1, 2, 0, 1});
    ChiSquaredResult chi = DriftStatistics.chiSquared(e, a);
    assertThat(chi.statistic()).isCloseTo(4.0 / 3, within(TOLERANCE));
    assertThat(chi.degreesOfFreedom()).as("5 bins, 3 non-empty").isEqualTo(2);
    assertThat(chi.pValue()).isCloseTo(Math.exp(-2.0 / 3), within(1e-12));
  }

  @Test
  void chiSquaredMatchesCommonsMathOnRandomTables() {
    Random random = new Random(11);
    ChiSquareTest reference = new ChiSquareTest();
    for (int trial = 0; trial < 200; trial++) {
      int bins = 2 + random.nextInt(20);
      long[] e = DriftSamples.randomCounts(random, bins);
      long[] a = DriftSamples.randomCounts(random, bins);
      if (Arrays.stream(e).sum() == 0 || Arrays.stream(a).sum() == 0) {
        continue;
      }
      int[] kept = IntStream.range(0, bins).filter(i -> e[i] + a[i] > 0).toArray();
      ChiSquaredResult chi =
          DriftStatistics.chiSquared(BinnedSample.categorical(e), BinnedSample.categorical(a));
      assertThat(chi.degreesOfFreedom()).isEqualTo(Math.max(kept.length - 1, 0));
      if (kept.length < 2) {
        assertThat(chi).isEqualTo(new ChiSquaredResult(0, 0, 1));
        continue;
      }
      long[] ek = Arrays.stream(kept).mapToLong(i -> e[i]).toArray();
      long[] ak = Arrays.stream(kept).mapToLong(i -> a[i]).toArray();
      double statistic = reference.chiSquareDataSetsComparison(ek, ak);
      assertThat(chi.statistic()).isCloseTo(statistic, within(1e-9 * (1 + statistic)));
      assertThat(chi.pValue())
          .isCloseTo(reference.chiSquareTestDataSetsComparison(ek, ak), within(1e-9));
    }
  }

  @Test
  void shareStatisticsMatchIndependentFormulasOnRandomHistograms() {
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      int bins = 1 + random.nextInt(21);
      BinnedSample e = BinnedSample.categorical(DriftSamples.randomCounts(random, bins));
      BinnedSample a = BinnedSample.categorical(DriftSamples.randomCounts(random, bins));
      if (e.total() == 0 || a.total() == 0) {
        continue;
      }
      double[] es = e.shares();
      double[] as = a.shares();
      // JSD = H(m) - (H(a) + H(e)) / 2 in bits; TV = 1 - sum min(a, e).
      double[] m = new double[bins];
      double overlap = 0;
      double linf = 0;
      for (int i = 0; i < bins; i++) {
        m[i] = (as[i] + es[i]) / 2;
        overlap += Math.min(as[i], es[i]);
        linf = Math.max(linf, Math.abs(as[i] - es[i]));
      }
      double jsd = entropyBits(m) - (entropyBits(as) + entropyBits(es)) / 2;
      assertThat(DriftStatistics.jsDistance(e, a))
          .isCloseTo(Math.sqrt(Math.max(jsd, 0)), within(1e-6));
      assertThat(DriftStatistics.tvDistance(e, a)).isCloseTo(1 - overlap, within(1e-12));
      assertThat(DriftStatistics.lInfinity(e, a)).isCloseTo(linf, within(1e-12));
      // PSI = KL(a' || e') + KL(e' || a') on the smoothed shares a', e'.
      double psi = 0;
      for (int i = 0; i < bins; i++) {
        double a1 = as[i] == 0 ? 1e-4 : as[i];
        double e1 = es[i] == 0 ? 1e-4 : es[i];
        psi += a1 * Math.log(a1 / e1) + e1 * Math.log(e1 / a1);
      }
      assertThat(DriftStatistics.psi(e, a)).isCloseTo(psi, within(1e-9));
    }
  }

  @Test
  void everyShareStatisticIsSymmetric() {
    Random random = new Random(19);
    for (int trial = 0; trial < 100; trial++) {
      int bins = 1 + random.nextInt(21);
      BinnedSample x = BinnedSample.categorical(DriftSamples.randomCounts(random, bins));
      BinnedSample y = BinnedSample.categorical(DriftSamples.randomCounts(random, bins));
      if (x.total() == 0 || y.total() == 0) {
        continue;
      }
      assertThat(DriftStatistics.psi(x, y)).isCloseTo(DriftStatistics.psi(y, x), within(1e-12));
      assertThat(DriftStatistics.jsDistance(x, y))
          .isCloseTo(DriftStatistics.jsDistance(y, x), within(1e-12));
      assertThat(DriftStatistics.tvDistance(x, y))
          .isCloseTo(DriftStatistics.tvDistance(y, x), within(1e-12));
      assertThat(DriftStatistics.lInfinity(x, y)).isEqualTo(DriftStatistics.lInfinity(y, x));
      assertThat(DriftStatistics.chiSquared(x, y).statistic())
          .isCloseTo(DriftStatistics.chiSquared(y, x).statistic(), within(1e-9));
    }
  }

  @Test
  void identicalSharesGiveZeroDrift() {
    // Same shares at different sizes: 10x the baseline.
    BinnedSample e = BinnedSample.categorical(new long[] {3, 0, 5, 2});
    BinnedSample a = BinnedSample.categorical(new long[] {30, 0, 50, 20});
    assertThat(DriftStatistics.psi(e, a)).isZero();
    assertThat(DriftStatistics.jsDistance(e, a)).isZero();
    assertThat(DriftStatistics.tvDistance(e, a)).isZero();
    assertThat(DriftStatistics.lInfinity(e, a)).isZero();
    ChiSquaredResult chi = DriftStatistics.chiSquared(e, a);
    assertThat(chi.statistic()).isCloseTo(0, within(1e-12));
    assertThat(chi.degreesOfFreedom()).as("3 non-empty bins").isEqualTo(2);
    assertThat(chi.pValue()).isCloseTo(1, within(1e-12));
  }

  @Test
  void disjointSharesGiveTheMaximalDistances() {
    BinnedSample e = BinnedSample.categorical(new long[] {5, 5, 0, 0});
    BinnedSample a = BinnedSample.categorical(new long[] {0, 0, 3, 7});
    assertThat(DriftStatistics.jsDistance(e, a)).isEqualTo(1.0);
    assertThat(DriftStatistics.tvDistance(e, a)).isEqualTo(1.0);
    assertThat(DriftStatistics.lInfinity(e, a)).isCloseTo(0.7, within(TOLERANCE));
    // Every term has one side smoothed to 1e-4.
    double hand =
        2 * (1e-4 - 0.5) * Math.log(1e-4 / 0.5)
            + (0.3 - 1e-4) * Math.log(0.3 / 1e-4)
            + (0.7 - 1e-4) * Math.log(0.7 / 1e-4);
    assertThat(DriftStatistics.psi(e, a)).isCloseTo(hand, within(1e-9)).isGreaterThan(10);
    ChiSquaredResult chi = DriftStatistics.chiSquared(e, a);
    // Table [[5, 5, 0, 0], [0, 0, 3, 7]], rows 10 and 10: expected half of each column, so each
    // of the 8 cells contributes (c/2)^2 / (c/2) = c/2: statistic 20 / 2 * 2 = 20, 3 df.
    assertThat(chi.statistic()).isCloseTo(20, within(1e-9));
    assertThat(chi.degreesOfFreedom()).isEqualTo(3);
    assertThat(chi.pValue()).isLessThan(0.001);
  }

  @Test
  void aSideWithoutValuesMakesEveryStatisticNaN() {
    BinnedSample none = BinnedSample.categorical(new long[] {0, 0, 0});
    for (BinnedSample[] pair : new BinnedSample[][] {{E, none}, {none, A}, {none, none}}) {
      assertThat(DriftStatistics.psi(pair[0], pair[1])).isNaN();
      assertThat(DriftStatistics.jsDistance(pair[0], pair[1])).isNaN();
      assertThat(DriftStatistics.tvDistance(pair[0], pair[1])).isNaN();
      assertThat(DriftStatistics.lInfinity(pair[0], pair[1])).isNaN();
      ChiSquaredResult chi = DriftStatistics.chiSquared(pair[0], pair[1]);
      assertThat(chi.statistic()).isNaN();
      assertThat(chi.pValue()).isNaN();
    }
  }

  @Test
  void oneNonEmptyBinGivesNoChiSquareEvidence() {
    // A constant column: one non-empty bin on both sides.
    BinnedSample e = BinnedSample.numeric(new long[] {0, 40}, new double[] {3}, 3.0, 3.0);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 1}, new double[] {3}, 3.0, 3.0);
    assertThat(DriftStatistics.chiSquared(e, a)).isEqualTo(new ChiSquaredResult(0, 0, 1));
    assertThat(DriftStatistics.psi(e, a)).isZero();
    assertThat(DriftStatistics.jsDistance(e, a)).isZero();
  }

  @Test
  void singleRowWindow() {
    // One row in bin 2: a = (0, 0, 1); e = (1/2, 1/2, 0) -> disjoint.
    BinnedSample a = BinnedSample.categorical(new long[] {0, 0, 1});
    assertThat(DriftStatistics.tvDistance(E, a)).isEqualTo(1.0);
    assertThat(DriftStatistics.jsDistance(E, a)).isEqualTo(1.0);
    // Table [[2, 2, 0], [0, 0, 1]], rows 4 and 1 of 5; expected E row 1.6, 1.6, 0.8 and A row
    // 0.4, 0.4, 0.2: 0.16/1.6 * 2 + 0.64 + 0.16/0.4 * 2 + 0.64/0.2 = 0.2 + 0.8 + 0.8 + 3.2 = 5.
    assertThat(DriftStatistics.chiSquared(E, a).statistic()).isCloseTo(5, within(1e-9));
  }

  @Test
  void newAndMissingCategoriesAreSortedSetDifferences() {
    Set<String> baseline = Set.of("mobile", "desktop", "tablet");
    Set<String> window = Set.of("tv", "mobile", "watch", "desktop");
    assertThat(DriftStatistics.newCategories(baseline, window)).containsExactly("tv", "watch");
    assertThat(DriftStatistics.missingCategories(baseline, window)).containsExactly("tablet");
    assertThat(DriftStatistics.newCategories(baseline, baseline)).isEmpty();
    assertThat(DriftStatistics.missingCategories(Set.of(), window)).isEmpty();
    assertThatThrownBy(() -> DriftStatistics.newCategories(baseline, window).add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unseenCategoriesLandInTheOtherBin() {
    // Baseline top-2 {mobile: 6, desktop: 3} and other: 1. The window has 2 mobile, 0 desktop and
    // 2 unseen categories (tv, watch) counted as other: a = (1/2, 0, 1/2), e = (0.6, 0.3, 0.1).
    BinnedSample e = BinnedSample.categorical(new long[] {6, 3, 1});
    BinnedSample a = BinnedSample.categorical(new long[] {2, 0, 2});
    assertThat(DriftStatistics.tvDistance(e, a)).isCloseTo((0.1 + 0.3 + 0.4) / 2, within(1e-12));
    assertThat(DriftStatistics.lInfinity(e, a)).isCloseTo(0.4, within(1e-12));
    double hand =
        (0.5 - 0.6) * Math.log(0.5 / 0.6)
            + (1e-4 - 0.3) * Math.log(1e-4 / 0.3)
            + (0.5 - 0.1) * Math.log(0.5 / 0.1);
    assertThat(DriftStatistics.psi(e, a)).isCloseTo(hand, within(1e-12));
  }

  @Test
  void deltasAreWindowMinusBaseline() {
    assertThat(DriftStatistics.countDelta(1000, 850)).isEqualTo(-150);
    // An all-null window of 50 rows against 10% nulls: 1 - 0.1.
    assertThat(DriftStatistics.nullRateDelta(10, 100, 50, 50)).isCloseTo(0.9, within(1e-12));
    assertThat(DriftStatistics.nullRateDelta(0, 100, 0, 7)).isZero();
    assertThat(DriftStatistics.nullRateDelta(0, 100, 0, 0)).as("window without rows").isNaN();
    assertThatThrownBy(() -> DriftStatistics.nullRateDelta(11, 10, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid baseline nulls: 11 (must be in [0, 10])");
    assertThatThrownBy(() -> DriftStatistics.countDelta(-1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid baseline rows: -1 (negative)");
  }

  @Test
  void rejectsSamplesOverDifferentBins() {
    BinnedSample e = BinnedSample.numeric(new long[] {1, 1}, new double[] {5}, 4.0, 6.0);
    BinnedSample a = BinnedSample.numeric(new long[] {1, 1}, new double[] {6}, 4.0, 7.0);
    assertThatThrownBy(() -> DriftStatistics.psi(e, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot compare samples over different bins: baseline")
        .hasMessageContaining("edges=[5.0]")
        .hasMessageContaining("edges=[6.0]");
    assertThatThrownBy(
            () -> DriftStatistics.tvDistance(E, BinnedSample.categorical(new long[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot compare samples over different bins");
  }

  private static double entropyBits(double[] p) {
    double h = 0;
    for (double x : p) {
      if (x > 0) {
        h -= x * Math.log(x) / LN_2;
      }
    }
    return h;
  }
}
