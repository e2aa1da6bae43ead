/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0
 */
package dev.sluice.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.drift.BinnedSample.Range;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TestDriftWasserstein {
  private static final double[] EDGES = {1, 2};

  @Test
  void separatedSamplesAreApartByTheDifferenceOfTheirMeans() {
    // E: 4 values spread over [1, 1.5] (mean 1.25); A: 4 values over [2, 3] (mean 2.5). One lies
    // entirely below the other, so W1 = 2.5 - 1.25 = 1.25.
    BinnedSample e = BinnedSample.numeric(new long[] {0, 4, 0}, EDGES, 1.0, 1.5);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 0, 4}, EDGES, 2.0, 3.0);
    assertThat(DriftStatistics.wasserstein(e, a)).isCloseTo(1.25, within(1e-12));
    assertThat(DriftStatistics.wasserstein(a, e)).isCloseTo(1.25, within(1e-12));
  }

  @Test
  void singleRowWindowIsAPointMass() {
    // E uniform on [1, 1.5], A the single value 1.2: W1 = E|X - 1.2| = (0.2^2 + 0.3^2) / (2 * 0.5)
    // = 0.13.
    BinnedSample e = BinnedSample.numeric(new long[] {0, 4, 0}, EDGES, 1.0, 1.5);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 1, 0}, EDGES, 1.2, 1.2);
    assertThat(DriftStatistics.wasserstein(e, a)).isCloseTo(0.13, within(1e-12));
  }

  @Test
  void outerBinsAreClosedByEachSidesMinAndMax() {
    // E = [2, 2] over [-Inf, 0), [0, +Inf] with range [-2, 1]: half uniform on [-2, 0), half on
    // [0, 1]. A: 4 values at 0.5. W1 = 1/2 E|U(-2, 0) - 0.5| + 1/2 E|U(0, 1) - 0.5|
    // = 1/2 * 1.5 + 1/2 * 0.25 = 0.875.
    BinnedSample e = BinnedSample.numeric(new long[] {2, 2}, new double[] {0}, -2.0, 1.0);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 4}, new double[] {0}, 0.5, 0.5);
    assertThat(DriftStatistics.wasserstein(e, a)).isCloseTo(0.875, within(1e-12));
  }

  @Test
  void matchesTheIntegralOfTheQuantileFunctionsOnRandomSamples() {
    // W1 = integral over u in (0, 1) of |Q_A(u) - Q_E(u)|, by the midpoint rule.
    Random random = new Random(37);
    for (int trial = 0; trial < 60; trial++) {
      int bins = 1 + random.nextInt(20);
      double[] edges = randomEdges(random, bins - 1);
      BinnedSample e = randomSample(random, edges);
      BinnedSample a = randomSample(random, edges);
      if (e.total() == 0 || a.total() == 0) {
        continue;
      }
      int steps = 200_000;
      double[] qa = quantiles(a, steps);
      double[] qe = quantiles(e, steps);
      double integral = 0;
      for (int k = 0; k < steps; k++) {
        integral += Math.abs(qa[k] - qe[k]) / steps;
      }
      assertThat(DriftStatistics.wasserstein(e, a))
          .as("trial %s: %s against %s", trial, e, a)
          .isCloseTo(integral, within(1e-3));
    }
  }

  @Test
  void binnedDistanceIsWithinTheBinWidthsOfTheRawDistance() {
    // Spreading a bin's values over the bin moves each at most the bin's width (clipped to the
    // side's range), so |W1(binned) - W1(raw)| <= sum_b a_b width_b + sum_b e_b width_b.
    Random random = new Random(41);
    for (int trial = 0; trial < 100; trial++) {
      int n = 1 + random.nextInt(150);
      int m = 1 + random.nextInt(150);
      double[] baseline = new double[n];
      double[] window = new double[m];
      double shift = random.nextGaussian();
      for (int i = 0; i < n; i++) {
        baseline[i] = Math.round(random.nextGaussian() * 20) / 10.0;
      }
      for (int i = 0; i < m; i++) {
        window[i] = shift + random.nextGaussian() * (0.5 + random.nextDouble());
      }
      double[] edges = DriftSamples.quantileEdges(baseline, 2 + random.nextInt(20));
      BinnedSample e = DriftSamples.bin(baseline, edges);
      BinnedSample a = DriftSamples.bin(window, edges);
      double raw = DriftSamples.bruteForceWasserstein(baseline, window);
      double slack = spread(e) + spread(a);
      assertThat(DriftStatistics.wasserstein(e, a))
          .as("trial %s", trial)
          .isCloseTo(raw, within(slack + 1e-9));
    }
  }

  @Test
  void isSymmetricAndZeroForEqualSamples() {
    Random random = new Random(43);
    for (int trial = 0; trial < 50; trial++) {
      double[] edges = randomEdges(random, random.nextInt(10));
      BinnedSample x = randomSample(random, edges);
      BinnedSample y = randomSample(random, edges);
      if (x.total() == 0 || y.total() == 0) {
        continue;
      }
      assertThat(DriftStatistics.wasserstein(x, y))
          .isCloseTo(DriftStatistics.wasserstein(y, x), within(1e-12));
      assertThat(DriftStatistics.wasserstein(x, x)).isZero();
    }
  }

  @Test
  void normalizedByTheBaselineStddev() {
    BinnedSample e = BinnedSample.numeric(new long[] {0, 4, 0}, EDGES, 1.0, 1.5);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 0, 4}, EDGES, 2.0, 3.0);
    assertThat(DriftStatistics.wassersteinNormalized(e, a, 0.25)).isCloseTo(5.0, within(1e-12));
  }

  @Test
  void constantBaselineIsNormalizedByTheRangeOfBothSides() {
    // model_baselines: a constant 3 has the edge 3 and everything in [3, +Inf]. A window constant
    // at 5 falls in the same bin, so every share statistic is 0, but W1 = 2 and the range is 2.
    double[] edges = {3};
    BinnedSample e = BinnedSample.numeric(new long[] {0, 5}, edges, 3.0, 3.0);
    BinnedSample a = BinnedSample.numeric(new long[] {0, 2}, edges, 5.0, 5.0);
    assertThat(DriftStatistics.tvDistance(e, a)).isZero();
    assertThat(DriftStatistics.wasserstein(e, a)).isCloseTo(2, within(1e-12));
    assertThat(DriftStatistics.wassersteinNormalized(e, a, 0.0)).isCloseTo(1, within(1e-12));
    assertThat(DriftStatistics.wassersteinNormalized(e, a, Double.NaN))
        .as("single-value baseline: stddev NaN")
        .isCloseTo(1, within(1e-12));
    // A window spread over [3, 7] (mean 5): W1 = 2 again, range 4.
    BinnedSample spread = BinnedSample.numeric(new long[] {0, 2}, edges, 3.0, 7.0);
    assertThat(DriftStatistics.wassersteinNormalized(e, spread, 0.0)).isCloseTo(0.5, within(1e-12));
    // Both one and the same value: range 0, distance 0.
    assertThat(DriftStatistics.wassersteinNormalized(e, e, 0.0)).isZero();
  }

  @Test
  void undefinedWithoutValuesOrWithInfiniteValues() {
    BinnedSample e = BinnedSample.numeric(new long[] {0, 4, 0}, EDGES, 1.0, 1.5);
    BinnedSample none = BinnedSample.numeric(new long[] {0, 0, 0}, EDGES, null, null);
    assertThat(DriftStatistics.wasserstein(e, none)).isNaN();
    assertThat(DriftStatistics.wasserstein(none, e)).isNaN();
    assertThat(DriftStatistics.wassersteinNormalized(none, none, 1.0)).isNaN();
    BinnedSample infinite =
        BinnedSample.numeric(new long[] {0, 3, 1}, EDGES, 1.0, Double.POSITIVE_INFINITY);
    assertThat(DriftStatistics.wasserstein(e, infinite)).isNaN();
    assertThat(DriftStatistics.wassersteinNormalized(e, infinite, 0.2)).isNaN();
  }

  @Test
  void rejectsCategoricalSamples() {
    BinnedSample c = BinnedSample.categorical(new long[] {1, 2});
    assertThatThrownBy(() -> DriftStatistics.wasserstein(c, c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute Wasserstein of categorical samples");
  }

  /** {@code count} ascending distinct edges in [-10, 10]. */
  private static double[] randomEdges(Random random, int count) {
    double[] edges = new double[count];
    double at = -10;
    for (int i = 0; i < count; i++) {
      at += 0.01 + random.nextDouble() * 20.0 / (count + 1);
      edges[i] = at;
    }
    return edges;
  }

  /** Random counts with a min in the first non-empty bin and a max in the last one. */
  private static BinnedSample randomSample(Random random, double[] edges) {
    long[] counts = DriftSamples.randomCounts(random, edges.length + 1);
    int first = 0;
    while (first < counts.length && counts[first] == 0) {
      first++;
    }
    if (first == counts.length) {
      return BinnedSample.numeric(counts, edges, null, null);
    }
    int last = counts.length - 1;
    while (counts[last] == 0) {
      last--;
    }
    double min = pointIn(random, edges, first);
    double max = pointIn(random, edges, last);
    if (counts[first] == 1 && first == last) {
      max = min; // a single value
    } else if (max < min) {
      double swap = min;
      min = max;
      max = swap;
    }
    return BinnedSample.numeric(counts, edges, min, max);
  }

  /** A random point of bin {@code b}; the open outer bins extend 5 past their edge. */
  private static double pointIn(Random random, double[] edges, int b) {
    double lower = b == 0 ? (edges.length == 0 ? 0 : edges[0]) - 5 : edges[b - 1];
    double upper = b == edges.length ? (edges.length == 0 ? 0 : edges[b - 1]) + 5 : edges[b];
    return lower + random.nextDouble() * (upper - lower) * 0.999;
  }

  /**
   * The quantile function of the sample with each bin's count spread uniformly over the bin clipped
   * to the sample's range, at each of {@code steps} midpoints {@code u = (k + 1/2) / steps}: the
   * smallest x whose CDF reaches u.
   */
  private static double[] quantiles(BinnedSample s, int steps) {
    Range r = s.range().orElseThrow();
    double[] edges = s.edges();
    double[] q = new double[steps];
    double below = 0;
    int k = 0;
    for (int b = 0; b < s.bins(); b++) {
      double share = s.count(b) / (double) s.total();
      if (share == 0) {
        continue;
      }
      double lower = Math.max(b == 0 ? r.min() : edges[b - 1], r.min());
      double upper = Math.min(b == edges.length ? r.max() : edges[b], r.max());
      for (; k < steps && (k + 0.5) / steps <= below + share; k++) {
        q[k] = lower + ((k + 0.5) / steps - below) / share * (upper - lower);
      }
      below += share;
    }
    for (; k < steps; k++) {
      q[k] = r.max(); // rounding of the last cumulative share
    }
    return q;
  }

  /** The mean distance a value moves when spread over its clipped bin: sum_b share_b width_b. */
  private static double spread(BinnedSample s) {
    Range r = s.range().orElseThrow();
    double[] edges = s.edges();
    double sum = 0;
    for (int b = 0; b < s.bins(); b++) {
      if (s.count(b) > 0) {
        double lower = Math.max(b == 0 ? r.min() : edges[b - 1], r.min());
        double upper = Math.min(b == edges.length ? r.max() : edges[b], r.max());
        sum += s.count(b) / (double) s.total() * (upper - lower);
      }
    }
    return sum;
  }
}
